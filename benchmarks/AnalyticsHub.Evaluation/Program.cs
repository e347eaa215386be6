namespace AnalyticsHub.Evaluation;

/// <summary>
/// Entry point: runs one of the named harness commands registered in <see cref="Commands"/>, e.g.
/// <c>nab --data &lt;folder&gt;</c>; <c>--list-commands</c> lists them.
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

        await Console.Error.WriteLineAsync(
            args.Length == 0
                ? $"usage: <command> [arguments]; commands: {string.Join(", ", Commands.Names)}"
                : $"unknown command '{args[0]}'; commands: {string.Join(", ", Commands.Names)}").ConfigureAwait(false);
        return 2;
    }
}
