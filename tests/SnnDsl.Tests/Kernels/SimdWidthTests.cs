using System.Runtime.Intrinsics;

namespace SnnDsl.Tests.Kernels;

/// <summary>
/// Each CI leg says which SIMD width its kernels must run (SNNDSL_EXPECT_SIMD = Vector512, Vector256 or scalar), so that
/// a leg whose switch does nothing — as DOTNET_EnableAVX512F=0 on .NET 10 — fails instead of re-testing the same path.
/// </summary>
[Trait("Category", "Kernels")]
public class SimdWidthTests
{
    [Fact]
    public void Kernels_run_the_width_the_leg_expects()
    {
        string active = SpikeOps.ActiveSimdWidth;
        Assert.Equal(Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "scalar", active);
        if (Environment.GetEnvironmentVariable("SNNDSL_EXPECT_SIMD") is { Length: > 0 } expected)
            Assert.True(expected == active, $"This leg expects the {expected} kernels, but the runtime runs {active} (check the DOTNET_Enable* switches).");
    }
}
