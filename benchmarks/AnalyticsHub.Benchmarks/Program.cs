using BenchmarkDotNet.Running;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Entry point: named harness commands (registered in <see cref="Commands"/>) run directly;
/// everything else goes to BenchmarkDotNet's switcher, e.g. <c>--filter *Sketch*</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && Commands.TryGet(args[0], out var command))
        {
            return await command(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] is "--list-commands")
        {
            foreach (var name in Commands.Names)
            {
                Console.WriteLine(name);
            }

            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
