namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A kernel setting (global to the machine) changed for one test and put back when disposed, pass or fail.
/// scripts/test also restores the ones tests change, in case a test host is killed before disposing.
/// </summary>
public sealed class Sysctl : IDisposable
{
    private readonly string _path;
    private readonly string _before;

    private Sysctl(string path, string before)
    {
        _path = path;
        _before = before;
    }

    /// <summary>Sets e.g. "kernel.dmesg_restrict" to <paramref name="value"/> until the returned value is disposed.</summary>
    public static Sysctl Set(string name, string value)
    {
        var path = "/proc/sys/" + name.Replace('.', '/');
        var before = File.ReadAllText(path).Trim();
        File.WriteAllText(path, value);
        return new Sysctl(path, before);
    }

    public void Dispose() => File.WriteAllText(_path, _before);
}
