using System.Diagnostics;
using Npgsql;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Where a coordinator under test persists: its own SQLite file, or a fresh PostgreSQL database.</summary>
public sealed record Database(string Provider, string? ConnectionString)
{
    public static Database Sqlite() => new("Sqlite", null);
}

/// <summary>
/// A real PostgreSQL server for the tests: the one named by NODE_HEALTH_TEST_POSTGRES (an admin
/// connection string), else a private cluster started here from Debian's postgresql package.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _directory;
    private string? _binaries;
    private string _adminConnection = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("NODE_HEALTH_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            _adminConnection = configured;
            return;
        }

        _binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            : null;
        if (_binaries is null)
            throw new InvalidOperationException("PostgreSQL is not installed: run the README test command (it installs Debian's postgresql) or set NODE_HEALTH_TEST_POSTGRES");

        // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
        _directory = Path.Combine("/tmp", $"nh-pg-{Guid.NewGuid():N}"[..14]);
        Directory.CreateDirectory(_directory);
        await Run("chown", "postgres:postgres", _directory);
        var port = Paths.FreePort();
        await RunAsPostgres("initdb", "-D", $"{_directory}/data", "-A", "trust", "-U", "postgres", "--no-sync");
        await RunAsPostgres("pg_ctl", "-D", $"{_directory}/data", "-l", $"{_directory}/server.log", "-w", "-o",
            $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
        _adminConnection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>A new, empty database: no test sees another's journal.</summary>
    public async Task<Database> CreateDatabaseAsync()
    {
        var name = $"nh_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(_adminConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name };
        return new Database("PostgreSql", builder.ConnectionString);
    }

    /// <summary>
    /// Restarts the server (fast shutdown: open connections are ended, as on a failover or an upgrade); only the
    /// private server can be restarted.
    /// </summary>
    public async Task RestartAsync()
    {
        if (_directory is null)
            throw new InvalidOperationException("NODE_HEALTH_TEST_POSTGRES names a server these tests do not own: it cannot be restarted; unset it to use a private one");
        await RunAsPostgres("pg_ctl", "-D", $"{_directory}/data", "-l", $"{_directory}/server.log", "-m", "fast", "-w", "restart");
    }

    /// <summary>Whether <see cref="RestartAsync"/> can be used.</summary>
    public bool IsPrivate => _directory is not null;

    public async Task DisposeAsync()
    {
        if (_directory is null)
            return;
        await RunAsPostgres("pg_ctl", "-D", $"{_directory}/data", "-m", "immediate", "stop");
        Directory.Delete(_directory, recursive: true);
    }

    private Task RunAsPostgres(string tool, params string[] arguments) =>
        Run("runuser", ["-u", "postgres", "--", Path.Combine(_binaries!, tool), .. arguments]);

    private static async Task Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "end-to-end";
}
