using ScottPlot;
using SnnDsl.Data;

namespace SnnDsl.Plotting;

/// <summary>Saves plots as PNG files atomically (temporary file, flush, rename: see <see cref="AtomicFile"/>).</summary>
public static class PlotFiles
{
    /// <summary>Default size of a single plot, in pixels.</summary>
    public const int Width = 900, Height = 550;

    /// <summary>Renders <paramref name="plot"/> and writes it to <paramref name="path"/> as PNG.</summary>
    public static void SavePng(this Plot plot, string path, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        CheckSize(width, height);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>Renders the panels of <paramref name="multiplot"/> and writes them to <paramref name="path"/> as one PNG.</summary>
    public static void SavePng(this Multiplot multiplot, string path, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        CheckSize(width, height);
        AtomicFile.WriteAllBytes(path, multiplot.Render(width, height).GetImageBytes(ImageFormat.Png));
    }

    private static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
    }
}
