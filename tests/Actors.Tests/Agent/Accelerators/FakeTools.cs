namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>
/// Fake host tools in a temporary directory: shell scripts that replay recorded outputs (per first argument, from
/// files the test rewrites between polls), exit with a recorded status, or hang. The probes run them through the
/// real process runner, deadline and all.
/// </summary>
public sealed class FakeTools : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tools-" + Guid.NewGuid().ToString("N"));

    public FakeTools() => System.IO.Directory.CreateDirectory(Directory);

    public string PathOf(string tool) => Path.Combine(Directory, tool);

    /// <summary>
    /// nvidia-smi answering each query from its file: gpus.csv (--query-gpu), remapped.csv (--query-remapped-rows),
    /// nvlink.txt (nvlink --status); a missing file makes that query fail as an older driver does.
    /// </summary>
    public string NvidiaSmi(string gpus, string remapped = "", string nvlinks = "")
    {
        Data("gpus.csv", gpus);
        Data("remapped.csv", remapped);
        Data("nvlink.txt", nvlinks);
        return Script("nvidia-smi", $$"""
            d='{{Directory}}'
            case "$1" in
              --query-gpu=*) f="$d/gpus.csv" ;;
              --query-remapped-rows=*) f="$d/remapped.csv" ;;
              nvlink) f="$d/nvlink.txt" ;;
              *) echo "unknown arguments: $*" >&2; exit 2 ;;
            esac
            [ -f "$d/hang" ] && sleep 30
            [ -f "$f" ] || { echo "Field is not supported" >&2; exit 2; }
            cat "$f"
            """);
    }

    /// <summary>
    /// dcgmi answering `health …` from health.out/.rc and `discovery …` from discovery.out/.rc (rewritten with
    /// <see cref="Replay"/>); each run appends its arguments to &lt;command&gt;.runs, so tests count what ran.
    /// </summary>
    public string Dcgmi(string health, string discovery, int discoveryExitCode = 0)
    {
        Replay("health", health);
        Replay("discovery", discovery, discoveryExitCode);
        return Script("dcgmi", $$"""
            d='{{Directory}}'
            case "$1" in
              health|discovery) echo "$*" >> "$d/$1.runs" ;;
              *) echo "unknown arguments: $*" >&2; exit 2 ;;
            esac
            [ -f "$d/hang" ] && sleep 30
            [ "$1 $2" = "health -s" ] && exit 0
            cat "$d/$1.out"
            exit "$(cat "$d/$1.rc")"
            """);
    }

    /// <summary>The argument lines a fake tool's command was run with, oldest first (see <see cref="Dcgmi"/>).</summary>
    public IReadOnlyList<string> Runs(string command) =>
        File.Exists(Path.Combine(Directory, command + ".runs")) ? File.ReadAllLines(Path.Combine(Directory, command + ".runs")) : [];

    /// <summary>From the next run on, every nvidia-smi query and dcgmi command hangs (until killed), or answers again.</summary>
    public void Hang(bool hang)
    {
        if (hang)
            Data("hang", "");
        else
            File.Delete(Path.Combine(Directory, "hang"));
    }

    /// <summary>A tool that prints <paramref name="name"/>.out (rewritten with <see cref="Data"/>) and exits with <paramref name="name"/>.rc.</summary>
    public string Replaying(string name, string output, int exitCode = 0)
    {
        Replay(name, output, exitCode);
        return Script(name, $"""
            cat '{Directory}/{name}.out'
            exit "$(cat '{Directory}/{name}.rc')"
            """);
    }

    public void Replay(string name, string output, int exitCode = 0)
    {
        Data($"{name}.out", output);
        Data($"{name}.rc", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Script(string name, string body)
    {
        var path = PathOf(name);
        var staged = path + ".new";
        File.WriteAllText(staged, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) // The probes run on Linux nodes; so do these tests.
            File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Move(staged, path, overwrite: true);
        return path;
    }

    /// <summary>Rewrites a data file atomically, so a tool running now reads the old or the new text, never half.</summary>
    public void Data(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path + ".new", text);
        File.Move(path + ".new", path, overwrite: true);
    }

    public void Remove(string name) => File.Delete(Path.Combine(Directory, name));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
