namespace NodeHealth.Coordinator;

/// <summary>Short flags on top of Microsoft.Extensions configuration keys.</summary>
public static class CommandLine
{
    /// <summary>--no-agent is Coordinator:InProcessAgent=false.</summary>
    public static string[] Normalize(string[] args) =>
        [.. args.Select(a => a == "--no-agent" ? "--Coordinator:InProcessAgent=false" : a)];

    public static int Fail(IEnumerable<string> errors)
    {
        foreach (var error in errors)
            Console.Error.WriteLine($"node-health coordinator: {error}");
        return 2;
    }
}
