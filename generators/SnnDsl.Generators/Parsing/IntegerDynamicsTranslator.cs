using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Translates the methods of an integer neuron into integer statements, reading Roslyn's bound operations: C# has
/// already promoted each short to int, resolved each overload and made each conversion explicit, so the IR computes
/// what the method computes. Arithmetic is unchecked int (wraps at 32 bits); a cast to short truncates to 16 bits; an
/// assignment to a short (compound, ++) truncates as C# does. Each unsupported construct is one SNN0115 at its syntax.
/// </summary>
internal sealed class IntegerDynamicsTranslator(
    INamedTypeSymbol type,
    IReadOnlyList<IntegerField> states,
    IReadOnlyList<IntegerField> parameters,
    List<DiagnosticInfo> diagnostics,
    CancellationToken cancellation)
{
    // The locals of every method, each with its name in the kernel (a second local of the same name, in another method
    // or block, is numbered) and its width.
    private readonly Dictionary<ILocalSymbol, (string Name, int Bits)> _locals = new(SymbolEqualityComparer.Default);
    private readonly List<string> _localNames = [];
    private List<string> _ports = [];

    /// <summary>The names of the locals declared in the methods translated so far.</summary>
    public IEnumerable<string> Locals => _localNames;

    /// <summary>The statements of Integrate (with its ports) or Reset; null after reporting.</summary>
    public EquatableArray<IntStatement>? Method(MethodDeclarationSyntax method, SemanticModel semantics, List<string> ports)
    {
        _ports = ports;
        IOperation? body = method.Body is { } block ? semantics.GetOperation(block, cancellation)
            : method.ExpressionBody is { } arrow ? semantics.GetOperation(arrow.Expression, cancellation) : null;
        if (body is null)
        {
            Unsupported(method, $"The body of {method.Identifier.ValueText}", "write it as statements");
            return null;
        }
        var statements = new List<IntStatement>();
        bool ok = body is IBlockOperation b ? Statements(b.Operations, statements) : Assignment(body, statements);
        return ok ? statements.ToEquatableArray() : null;
    }

    /// <summary>The spike test of Fires(): its expression body or its one return statement.</summary>
    public IntCondition? Condition(MethodDeclarationSyntax method, SemanticModel semantics)
    {
        _ports = [];
        ExpressionSyntax? expression = method.ExpressionBody?.Expression
            ?? (method.Body?.Statements is [ReturnStatementSyntax { Expression: { } returned }] ? returned : null);
        if (expression is null)
            return Unsupported<IntCondition>(method.Body ?? (SyntaxNode)method, "A Fires() body of statements", "write the spike test as one expression, 'public bool Fires() => U >= Threshold;'");
        IOperation? operation = semantics.GetOperation(expression, cancellation);
        return operation is null ? Unsupported<IntCondition>(expression, $"'{Text(expression)}'", "write a comparison of int expressions") : Condition(operation);
    }

    private bool Statements(IEnumerable<IOperation> operations, List<IntStatement> into)
    {
        foreach (IOperation operation in operations)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!Statement(operation, into)) return false;
        }
        return true;
    }

    private bool Statement(IOperation operation, List<IntStatement> into)
    {
        switch (operation)
        {
            case IBlockOperation block:
                return Statements(block.Operations, into);
            case IEmptyOperation:
                return true;
            case IExpressionStatementOperation statement:
                return Assignment(statement.Operation, into);
            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclaratorOperation declarator in group.Declarations.SelectMany(d => d.Declarators))
                {
                    ILocalSymbol local = declarator.Symbol;
                    if (BitsOf(local.Type) is not { } bits)
                        return Unsupported(declarator.Syntax, $"The local '{local.Name}' of type '{local.Type.ToDisplayString()}'", "declare locals as int or short");
                    IOperation? initializer = declarator.GetVariableInitializer()?.Value;
                    // A local without initializer is assigned before it is read (C#'s definite assignment); 0 stands in.
                    IntExpr? value = initializer is null ? new IntConst(0) : Value(initializer);
                    if (value is null) return false;
                    string name = local.Name;
                    for (int n = 2; _localNames.Contains(name); n++) name = $"{local.Name}_{n}";
                    _locals[local] = (name, bits);
                    _localNames.Add(name);
                    into.Add(new IntLet(name, value, group.Declarations.Sum(d => d.Declarators.Length) == 1 ? Text(group.Syntax) : $"{local.Type.ToDisplayString()} {Text(declarator.Syntax)};"));
                }
                return true;
            case IConditionalOperation { WhenTrue: var whenTrue, WhenFalse: var whenFalse } branch when branch.Type is null:
            {
                if (Condition(branch.Condition) is not { } condition) return false;
                var then = new List<IntStatement>();
                var otherwise = new List<IntStatement>();
                if (!Statement(whenTrue, then) || (whenFalse is not null && !Statement(whenFalse, otherwise))) return false;
                string source = branch.Syntax is IfStatementSyntax ifStatement ? $"if ({Text(ifStatement.Condition)})" : Text(branch.Syntax);
                into.Add(new IntIf(condition, then.ToEquatableArray(), otherwise.ToEquatableArray(), source));
                return true;
            }
            case ILoopOperation:
                return Unsupported(operation.Syntax, "A loop", "a step is straight-line code: write the iterations out");
            case IReturnOperation:
                return Unsupported(operation.Syntax, "A return statement", "Integrate and Reset run to their end (use if/else)");
            default:
                return Unsupported(operation.Syntax, $"The statement '{Text(operation.Syntax)}'", "dynamics are assignments, int or short locals and if/else");
        }
    }

    /// <summary>An assignment statement: =, a compound assignment, ++ or --; each truncates to a short target.</summary>
    private bool Assignment(IOperation operation, List<IntStatement> into)
    {
        string source = Text(operation.Syntax) + ";";
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
            {
                if (Target(assignment.Target) is not { } target) return false;
                if (Value(assignment.Value) is not { } value) return false;
                into.Add(new IntSet(target.Name, value, source));
                return true;
            }
            case ICompoundAssignmentOperation compound:
            {
                if (Target(compound.Target) is not { } target) return false;
                if (compound.OperatorMethod is not null || compound.InConversion.IsUserDefined || compound.OutConversion.IsUserDefined)
                    return Unsupported(compound.Syntax, $"'{Text(compound.Syntax)}'", "it calls a user-defined operator");
                if (Value(compound.Value) is not { } right) return false;
                if (Binary(compound.OperatorKind, compound.IsChecked, new IntState(target.Name), right, compound.Value, compound.Syntax) is not { } value) return false;
                into.Add(new IntSet(target.Name, Narrow(value, target.Bits), source));
                return true;
            }
            case IIncrementOrDecrementOperation step:
            {
                if (Target(step.Target) is not { } target) return false;
                if (step.IsChecked) return Checked(step.Syntax);
                IntExpr value = step.Kind == OperationKind.Increment ? new IntAdd(new IntState(target.Name), new IntConst(1)) : new IntSubtract(new IntState(target.Name), new IntConst(1));
                into.Add(new IntSet(target.Name, Narrow(value, target.Bits), source));
                return true;
            }
            default:
                return Unsupported(operation.Syntax, $"The statement '{Text(operation.Syntax)}'", "dynamics are assignments, int or short locals and if/else");
        }
    }

    private static IntExpr Narrow(IntExpr value, int bits) => bits == 16 ? new IntTruncate(value, 16) : value;

    /// <summary>The state or local an assignment writes, with its width; parameters are read-only.</summary>
    private (string Name, int Bits)? Target(IOperation target)
    {
        switch (target)
        {
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when states.FirstOrDefault(s => s.Name == field.Field.Name) is { } state:
                return (state.Name, state.Bits);
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when parameters.Any(p => p.Name == field.Field.Name):
                Unsupported(target.Syntax, $"An assignment to parameter '{field.Field.Name}'", "parameters are the same for every step (arguments of the Step kernel); keep a changing value in a [State]");
                return null;
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out var declared):
                return declared;
            default:
                Unsupported(target.Syntax, $"An assignment to '{Text(target.Syntax)}'", "dynamics assign [State] fields and their own locals");
                return null;
        }
    }

    /// <summary>An int-valued expression (a short is promoted, as C# does).</summary>
    private IntExpr? Value(IOperation operation)
    {
        if (operation.ConstantValue is { HasValue: true, Value: var constant } && BitsOf(operation.Type) is not null)
            return new IntConst(System.Convert.ToInt32(constant, System.Globalization.CultureInfo.InvariantCulture));
        if (operation.Type is { } t && BitsOf(t) is null && t.SpecialType != SpecialType.System_Boolean)
            return Unsupported<IntExpr>(operation.Syntax, $"'{Text(operation.Syntax)}' of type '{t.ToDisplayString()}'",
                "integer dynamics compute in int and short only (no long, float, double or unsigned values)");
        switch (operation)
        {
            case IConversionOperation conversion:
            {
                if (conversion.Conversion.IsUserDefined) return Unsupported<IntExpr>(conversion.Syntax, $"'{Text(conversion.Syntax)}'", "it calls a user-defined conversion");
                if (conversion.IsChecked) return Checked<IntExpr>(conversion.Syntax);
                if (BitsOf(conversion.Operand.Type) is null)
                    return Unsupported<IntExpr>(conversion.Operand.Syntax, $"'{Text(conversion.Operand.Syntax)}' of type '{conversion.Operand.Type?.ToDisplayString() ?? "?"}'",
                        "integer dynamics compute in int and short only (no long, float, double or unsigned values)");
                if (BitsOf(conversion.Type) is not { } bits)
                    return Unsupported<IntExpr>(conversion.Syntax, $"'{Text(conversion.Syntax)}'", "integer dynamics compute in int and short only");
                return Value(conversion.Operand) is { } operand ? Narrow(operand, bits) : null;
            }
            case IBinaryOperation binary:
            {
                if (binary.OperatorMethod is not null) return Unsupported<IntExpr>(binary.Syntax, $"'{Text(binary.Syntax)}'", "it calls a user-defined operator");
                if (Value(binary.LeftOperand) is not { } left || Value(binary.RightOperand) is not { } right) return null;
                return Binary(binary.OperatorKind, binary.IsChecked, left, right, binary.RightOperand, binary.Syntax);
            }
            case IUnaryOperation unary when unary.OperatorMethod is null && unary.OperatorKind is UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.BitwiseNegation:
            {
                if (unary.IsChecked && unary.OperatorKind == UnaryOperatorKind.Minus) return Checked<IntExpr>(unary.Syntax);
                if (Value(unary.Operand) is not { } operand) return null;
                return unary.OperatorKind switch
                {
                    UnaryOperatorKind.Minus => new IntNegate(operand),
                    UnaryOperatorKind.BitwiseNegation => new IntComplement(operand),
                    _ => operand,
                };
            }
            case IParenthesizedOperation parenthesized:
                return Value(parenthesized.Operand);
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when states.Any(s => s.Name == field.Field.Name):
                return new IntState(field.Field.Name);
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when parameters.Any(p => p.Name == field.Field.Name):
                return new IntParam(field.Field.Name);
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out var declared):
                return new IntState(declared.Name);
            case IParameterReferenceOperation parameter when _ports.Contains(parameter.Parameter.Name):
                return new IntInput(parameter.Parameter.Name);
            case IInvocationOperation call when call.TargetMethod.ContainingType?.ToDisplayString() == "System.Math" && call.TargetMethod.Name is "Min" or "Max" or "Clamp":
                return MathCall(call);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when !conditional.IsRef:
            {
                if (Condition(conditional.Condition) is not { } condition || Value(conditional.WhenTrue) is not { } whenTrue || Value(whenFalse) is not { } otherwise) return null;
                return new IntSelect(condition, whenTrue, otherwise);
            }
            case IAssignmentOperation or IIncrementOrDecrementOperation:
                return Unsupported<IntExpr>(operation.Syntax, $"The assignment '{Text(operation.Syntax)}' inside an expression", "write it as a statement of its own");
            case IInvocationOperation call:
                return Unsupported<IntExpr>(call.Syntax, $"The call '{Text(call.Syntax)}'", "integer dynamics call only Math.Min, Math.Max and Math.Clamp");
            case IFieldReferenceOperation field:
                return Unsupported<IntExpr>(field.Syntax, $"The field '{field.Field.Name}'", "dynamics read [State] and [Param] fields of the neuron and constants");
            default:
                return Unsupported<IntExpr>(operation.Syntax, $"'{Text(operation.Syntax)}'", "integer dynamics are +, −, ×, &, |, ^, ~, shifts, casts to short or int, Math.Min/Max/Clamp and ?:");
        }
    }

    /// <summary>An int operator of C#, unchecked; a shift's count reads only constants and parameters.</summary>
    private IntExpr? Binary(BinaryOperatorKind kind, bool isChecked, IntExpr left, IntExpr right, IOperation rightOperation, SyntaxNode syntax)
    {
        if (isChecked && kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply) return Checked<IntExpr>(syntax);
        switch (kind)
        {
            case BinaryOperatorKind.Add: return new IntAdd(left, right);
            case BinaryOperatorKind.Subtract: return new IntSubtract(left, right);
            case BinaryOperatorKind.Multiply: return new IntMultiply(left, right);
            case BinaryOperatorKind.And: return new IntBitwise(IntBitwiseOp.And, left, right);
            case BinaryOperatorKind.Or: return new IntBitwise(IntBitwiseOp.Or, left, right);
            case BinaryOperatorKind.ExclusiveOr: return new IntBitwise(IntBitwiseOp.Xor, left, right);
            case BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift:
                if (!Uniform(right))
                    return Unsupported<IntExpr>(rightOperation.Syntax, $"The shift count '{Text(rightOperation.Syntax)}'",
                        "a shift count reads only constants and [Param]s, the same for every neuron (a vector shifts all its lanes by one count)");
                return kind == BinaryOperatorKind.LeftShift ? new IntShiftLeftBy(left, right) : new IntShiftRightBy(left, right, kind == BinaryOperatorKind.UnsignedRightShift);
            case BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder:
                return Unsupported<IntExpr>(syntax, $"The {(kind == BinaryOperatorKind.Divide ? "division" : "remainder")} '{Text(syntax)}'",
                    "vector units have no integer divider: divide by a power of two with '>>' (which floors; C#'s '/' truncates toward zero)");
            default:
                return Unsupported<IntExpr>(syntax, $"The operator in '{Text(syntax)}'", "integer dynamics are +, −, ×, &, |, ^, ~, shifts, casts to short or int, Math.Min/Max/Clamp and ?:");
        }
    }

    /// <summary>Math.Min, Math.Max, Math.Clamp on int or short; Clamp's bounds are the same for every neuron.</summary>
    private IntExpr? MathCall(IInvocationOperation call)
    {
        if (BitsOf(call.TargetMethod.ReturnType) is null)
            return Unsupported<IntExpr>(call.Syntax, $"The call '{Text(call.Syntax)}' on '{call.TargetMethod.ReturnType.ToDisplayString()}'", "integer dynamics compute in int and short only");
        var arguments = new List<IntExpr>();
        foreach (IArgumentOperation argument in call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (Value(argument.Value) is not { } value) return null;
            arguments.Add(value);
        }
        if (call.TargetMethod.Name == "Min") return new IntMin(arguments[0], arguments[1]);
        if (call.TargetMethod.Name == "Max") return new IntMax(arguments[0], arguments[1]);
        if (!Uniform(arguments[1]) || !Uniform(arguments[2]))
            return Unsupported<IntExpr>(call.Syntax, $"The clamp '{Text(call.Syntax)}' with bounds that differ between neurons", "Math.Clamp's bounds read only constants and [Param]s (use Math.Min and Math.Max otherwise)");
        if (arguments[1] is IntConst { Value: var min } && arguments[2] is IntConst { Value: var max } && min > max)
            return Unsupported<IntExpr>(call.Syntax, $"The clamp '{Text(call.Syntax)}'", $"its minimum {min} exceeds its maximum {max}, where Math.Clamp throws");
        return new IntClampBetween(arguments[0], arguments[1], arguments[2]);
    }

    /// <summary>A bool: a comparison of ints, &amp;&amp;, ||, ! and the bool operators &amp;, | on them.</summary>
    private IntCondition? Condition(IOperation operation)
    {
        switch (operation)
        {
            case IParenthesizedOperation parenthesized:
                return Condition(parenthesized.Operand);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                return Condition(not.Operand) is { } inner ? new IntNot(inner) : null;
            case IBinaryOperation { OperatorMethod: null } binary when binary.LeftOperand.Type?.SpecialType == SpecialType.System_Boolean:
            {
                if (binary.OperatorKind is not (BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.And or BinaryOperatorKind.Or))
                    return Unsupported<IntCondition>(binary.Syntax, $"'{Text(binary.Syntax)}'", "combine comparisons with &&, || and !");
                if (Condition(binary.LeftOperand) is not { } left || Condition(binary.RightOperand) is not { } right) return null;
                return binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And ? new IntBoth(left, right) : new IntEither(left, right);
            }
            case IBinaryOperation { OperatorMethod: null } comparison when Comparison(comparison.OperatorKind) is { } op:
            {
                if (Value(comparison.LeftOperand) is not { } left || Value(comparison.RightOperand) is not { } right) return null;
                return new IntCompare(op, left, right);
            }
            default:
                return Unsupported<IntCondition>(operation.Syntax, $"The condition '{Text(operation.Syntax)}'", "a condition compares int expressions (<, <=, >, >=, ==, !=), combined with &&, || and !");
        }
    }

    private static IntComparison? Comparison(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => IntComparison.Less,
        BinaryOperatorKind.LessThanOrEqual => IntComparison.LessOrEqual,
        BinaryOperatorKind.GreaterThan => IntComparison.Greater,
        BinaryOperatorKind.GreaterThanOrEqual => IntComparison.GreaterOrEqual,
        BinaryOperatorKind.Equals => IntComparison.Equal,
        BinaryOperatorKind.NotEquals => IntComparison.NotEqual,
        _ => null,
    };

    /// <summary>Whether an expression reads only constants and parameters, one value for every neuron.</summary>
    private static bool Uniform(IntExpr expr) => expr switch
    {
        IntConst or IntParam => true,
        IntAdd a => Uniform(a.Left) && Uniform(a.Right),
        IntSubtract s => Uniform(s.Left) && Uniform(s.Right),
        IntMultiply m => Uniform(m.Left) && Uniform(m.Right),
        IntBitwise b => Uniform(b.Left) && Uniform(b.Right),
        IntNegate n => Uniform(n.Value),
        IntComplement c => Uniform(c.Value),
        IntTruncate t => Uniform(t.Value),
        IntShiftLeftBy l => Uniform(l.Value) && Uniform(l.Shift),
        IntShiftRightBy r => Uniform(r.Value) && Uniform(r.Shift),
        IntMin m => Uniform(m.Left) && Uniform(m.Right),
        IntMax m => Uniform(m.Left) && Uniform(m.Right),
        IntClampBetween c => Uniform(c.Value) && Uniform(c.Min) && Uniform(c.Max),
        _ => false,
    };

    private static int? BitsOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Int32 => 32,
        SpecialType.System_Int16 => 16,
        _ => null,
    };

    private bool Checked(SyntaxNode syntax) => Checked<object>(syntax) is not null;

    private T? Checked<T>(SyntaxNode syntax) where T : class =>
        Unsupported<T>(syntax, $"The checked arithmetic '{Text(syntax)}'", "the kernel wraps at 32 bits as unchecked C# does; write unchecked(…) or saturate with Math.Clamp");

    private bool Unsupported(SyntaxNode syntax, string what, string hint) => Unsupported<object>(syntax, what, hint) is not null;

    private T? Unsupported<T>(SyntaxNode syntax, string what, string hint) where T : class
    {
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedIntegerConstruct, syntax, what, type.Name, hint));
        return null;
    }

    /// <summary>Source text on one line, for messages and the kernel's comments.</summary>
    public static string Text(SyntaxNode node) => System.Text.RegularExpressions.Regex.Replace(node.ToString(), @"\s+", " ").Trim();
}
