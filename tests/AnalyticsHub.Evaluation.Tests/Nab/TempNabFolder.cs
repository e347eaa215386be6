namespace AnalyticsHub.Evaluation.Tests.Nab;

/// <summary>A NAB-format folder in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempNabFolder : IDisposable
{
    public TempNabFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "nab-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "data"));
    }

    public string Root { get; }

    public string WindowsPath => Path.Combine(Root, "windows.json");

    public string WriteCsv(string category, string name, string text)
    {
        var folder = Path.Combine(Root, "data", category);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void WriteWindows(string json) => File.WriteAllText(WindowsPath, json);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
