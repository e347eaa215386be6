using BenchmarkDotNet.Running;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, e.g. <c>--filter *Sketch*</c>. The harness commands
/// (<c>nab</c>, <c>incidents</c>, ...) live in <c>AnalyticsHub.Evaluation</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
