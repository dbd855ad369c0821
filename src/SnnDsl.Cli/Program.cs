// snn: export, import and inspect SnnDsl model files, checkpoints and NIR graphs. `snn --help` lists the commands.
return SnnDsl.Cli.SnnCommands.Run(args, Console.Out, Console.Error);
