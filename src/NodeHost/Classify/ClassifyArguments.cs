namespace NodeHealth.NodeHost.Classify;

/// <summary>What <c>classify</c> was asked to do: <c>--source SOURCE [--catalog FILE]... [--rate-limits] [FILE|-]</c>.</summary>
public sealed record ClassifyArguments(string Source, IReadOnlyList<string> CatalogFiles, bool RateLimits, string? InputFile)
{
    public const string Usage =
        "usage: classify --source SOURCE [--catalog FILE]... [--rate-limits] [FILE|-]\n" +
        "  SOURCE: kernel (kernel log: raw /dev/kmsg, dmesg or syslog lines), a catalog source (kmsg, file-cron, …),\n" +
        "          or a journal identifier (kubelet, containerd, systemd, …)\n" +
        "  FILE:   the log to classify, one line per line; standard input when absent or -\n" +
        "  Prints one JSON object per finding per line; --rate-limits folds storms as the agent does.";

    /// <summary>The arguments, or null and the problem in <paramref name="error"/>.</summary>
    public static ClassifyArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? source = null, input = null;
        var catalogs = new List<string>();
        var rateLimits = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--source" or "--catalog" when i + 1 >= args.Count || args[i + 1].Length == 0:
                    error = $"{arg} needs a value";
                    return null;
                case "--source" when source is not null:
                    error = "--source given twice";
                    return null;
                case "--source":
                    source = args[++i];
                    break;
                case "--catalog":
                    catalogs.Add(args[++i]);
                    break;
                case "--rate-limits":
                    rateLimits = true;
                    break;
                case "-h" or "--help":
                    error = "";
                    return null;
                case not "-" when arg.StartsWith('-'):
                    error = $"unknown option {arg}";
                    return null;
                case var _ when input is not null:
                    error = $"one input file at most (got {input} and {arg})";
                    return null;
                default:
                    input = arg;
                    break;
            }
        }

        if (source is null)
        {
            error = "--source is required";
            return null;
        }

        return new ClassifyArguments(source, catalogs, rateLimits, input is "-" ? null : input);
    }
}
