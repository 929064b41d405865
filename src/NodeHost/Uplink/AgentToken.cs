namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The bearer token the agent presents when it opens a stream: the shared ingest token from settings, or
/// the current content of <c>Agent:TokenFile</c> (a projected ServiceAccount token the kubelet rewrites
/// before it expires). The file is read at every connect, never kept from an earlier one, so a rotated
/// token is what the next stream carries; <see cref="ChangedAsync"/> tells an open stream to make way for it.
/// </summary>
public sealed class AgentToken
{
    /// <summary>How often an open stream checks whether the token file was rotated (a stat and a small read).</summary>
    public static readonly TimeSpan DefaultCheckEvery = TimeSpan.FromSeconds(15);

    /// <summary>Projected tokens are about 1 KiB; a file much larger is not a token.</summary>
    private const int MaxTokenBytes = 16 * 1024;

    private readonly string? _value;

    private AgentToken(string? value, string? file)
    {
        _value = value;
        File = file;
    }

    /// <summary>The token file read at every connect; null for a fixed token.</summary>
    public string? File { get; }

    public static AgentToken Fixed(string value) => new(value, null);

    public static AgentToken FromFile(string path) => new(null, path);

    /// <summary>The token to send now; throws <see cref="AgentTokenException"/> naming the file when it cannot be read or is empty.</summary>
    public string Current()
    {
        if (File is not { } path)
            return _value!;
        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxTokenBytes)
                throw new AgentTokenException($"Agent:TokenFile '{path}' holds {stream.Length} bytes, more than a token ({MaxTokenBytes} at most)");
            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not AgentTokenException)
        {
            throw new AgentTokenException($"Agent:TokenFile '{path}' cannot be read: {e.Message}");
        }

        var token = System.Text.Encoding.UTF8.GetString(content).Trim();
        if (token.Length == 0)
            throw new AgentTokenException($"Agent:TokenFile '{path}' is empty");
        if (token.Any(c => c is < '!' or > '~'))
            throw new AgentTokenException($"Agent:TokenFile '{path}' holds characters a bearer token cannot carry (only printable ASCII without spaces)");
        return token;
    }

    /// <summary>
    /// Completes once the token differs from <paramref name="sent"/> (the kubelet rotated it), checking every
    /// <paramref name="every"/>; never completes for a fixed token. A file that cannot be read for a moment is not a change.
    /// </summary>
    public async Task ChangedAsync(string sent, TimeSpan every, TimeProvider clock, CancellationToken cancellation)
    {
        if (File is null)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, cancellation);
            return;
        }

        while (true)
        {
            await Task.Delay(every, clock, cancellation);
            try
            {
                if (Current() != sent)
                    return;
            }
            catch (AgentTokenException)
            {
                // Mid-rotation or briefly unreadable: the stream keeps the token it was opened with; the next check decides.
            }
        }
    }
}

/// <summary>The stream was closed by the agent itself because its token file now holds a newer token.</summary>
public sealed class TokenRotatedException(string file)
    : IOException($"Agent:TokenFile '{file}' was rotated: reconnecting with the new token");

/// <summary>The token file cannot be sent (missing, unreadable, empty, not a token); the message names the file.</summary>
public sealed class AgentTokenException(string message) : IOException(message);
