using System.Runtime.Versioning;
using NodeHealth.Coordinator.Security;

namespace NodeHealth.Coordinator.Tests.Security;

/// <summary>A generated token is a secret from its first byte: never readable by others, never seen half-written.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TokenFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("nh-token-").FullName;

    [Fact]
    public void Generated_ingest_token_is_kept_in_a_file_only_its_owner_can_read()
    {
        var token = IngestToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });

        var path = Path.Combine(_directory, IngestToken.FileName);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal(token.Value, File.ReadAllText(path));
        Assert.Matches("^[0-9a-f]{64}$", token.Value);
    }

    [Fact]
    public void Saved_token_is_used_again_at_the_next_start()
    {
        var first = OperatorToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });
        var second = OperatorToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });

        Assert.Equal(first.Value, second.Value);
    }

    [Fact]
    public void Generated_files_leave_no_temporary_file_behind()
    {
        IngestToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });
        OperatorToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });

        Assert.Equal([IngestToken.FileName, OperatorToken.FileName], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Concurrent_reader_never_sees_an_empty_partial_or_world_readable_token()
    {
        var path = Path.Combine(_directory, IngestToken.FileName);
        using var done = new CancellationTokenSource();
        var reading = new ManualResetEventSlim();
        var reader = Task.Run(() =>
        {
            var problems = new List<string>();
            reading.Set();
            while (!done.IsCancellationRequested)
            {
                try
                {
                    var mode = File.GetUnixFileMode(path);
                    var text = File.ReadAllText(path);
                    if (mode != OwnerOnly)
                        problems.Add($"mode {mode}");
                    if (text.Length != 64)
                        problems.Add($"'{text}' ({text.Length} characters)");
                }
                catch (FileNotFoundException)
                {
                }
            }

            return problems;
        });

        reading.Wait();
        for (var start = 0; start < 1000; start++)
        {
            File.Delete(path);
            IngestToken.Resolve(new CoordinatorOptions { DataDirectory = _directory });
        }

        await done.CancelAsync();
        var problems = await reader;
        Assert.True(problems.Count == 0, $"{problems.Count} bad reads, e.g. {string.Join(", ", problems.Distinct().Take(5))}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
