using System.Diagnostics;
using System.Text.Json;

namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>One finding as classify prints it.</summary>
public sealed record PrintedFinding(string Condition, string Reason, string Severity, long Line, string Message, string? Entity, int Count);

/// <summary>What a classify run printed and how it ended.</summary>
public sealed record ClassifyResult(int ExitCode, IReadOnlyList<PrintedFinding> Findings, string Output, string Log);

/// <summary>Runs the built agent's <c>classify</c> command as a process, as a user would.</summary>
public static class ClassifyProcess
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string AgentDll { get; } = Path.Combine(Repository, "src", "NodeHost", "bin", Configuration, "net10.0", "NodeHealth.NodeHost.dll");

    public static string Repository => FindRepository();

    public static string Fixture(string name) => Path.Combine(Repository, "tests", "NodeHost.Tests", "Classify", "Fixtures", name);

    /// <summary>Runs <c>classify</c> with <paramref name="args"/>; <paramref name="standardInput"/> is written to it (null: stdin stays open and empty-handed, to prove a file argument never waits on it).</summary>
    public static async Task<ClassifyResult> RunAsync(IEnumerable<string> args, byte[]? standardInput = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(DotnetPath) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(AgentDll);
        start.ArgumentList.Add("classify");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var log = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"classify {string.Join(' ', args)} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        var text = await output;
        var findings = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<PrintedFinding>(line, Json) ?? throw new InvalidDataException($"not a finding: {line}"))
            .ToList();
        return new ClassifyResult(process.ExitCode, findings, text, await log);
    }

    private static string DotnetPath =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
