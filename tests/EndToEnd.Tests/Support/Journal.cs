using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Looks into (and, to prove a point, tampers with) a coordinator's journal and snapshot tables.</summary>
public sealed class Journal(CoordinatorUnderTest coordinator)
{
    /// <summary>Live (not deleted) event rows of <paramref name="persistenceId"/> up to <paramref name="throughSequence"/>.</summary>
    public Task<long> EventsAsync(string persistenceId, long throughSequence = long.MaxValue) =>
        ScalarAsync("SELECT COUNT(*) FROM journal WHERE persistence_id = @id AND sequence_number <= @seq AND deleted = @no", persistenceId, throughSequence);

    /// <summary>Sequence numbers of the snapshots kept for <paramref name="persistenceId"/>, ascending.</summary>
    public async Task<List<long>> SnapshotsAsync(string persistenceId)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, "SELECT sequence_number FROM snapshot WHERE persistence_id = @id ORDER BY sequence_number", persistenceId, 0);
        var result = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(reader.GetInt64(0));
        return result;
    }

    /// <summary>Journal rows of the sharding store that mention <paramref name="entityId"/> (remember-entities writes).</summary>
    public Task<long> ShardingRowsMentioningAsync(string entityId) =>
        ScalarAsync(coordinator.Database.Provider == "Sqlite"
            ? "SELECT COUNT(*) FROM journal WHERE persistence_id LIKE '/sharding/%' AND instr(message, CAST(@id AS BLOB)) > 0"
            : "SELECT COUNT(*) FROM journal WHERE persistence_id LIKE '/sharding/%' AND position(convert_to(@id, 'UTF8') in message) > 0",
            entityId, 0);

    /// <summary>Removes events through <paramref name="throughSequence"/> behind the coordinator's back (it must be stopped).</summary>
    public async Task RemoveEventsAsync(string persistenceId, long throughSequence)
    {
        await using var connection = await OpenAsync();
        foreach (var table in new[] { "tags", "journal" })
        {
            var column = table == "tags" ? "sequence_nr" : "sequence_number";
            await using var command = Command(connection, $"DELETE FROM {table} WHERE persistence_id = @id AND {column} <= @seq", persistenceId, throughSequence);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<long> ScalarAsync(string sql, string id, long sequence)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, id, sequence);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private DbCommand Command(DbConnection connection, string sql, string id, long sequence)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in new (string, object)[] { ("@id", id), ("@seq", sequence), ("@no", false) })
            if (sql.Contains(name))
                Add(command, name, value);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = coordinator.Database.Provider == "Sqlite"
            ? new SqliteConnection($"Data Source={Path.Combine(coordinator.DataDirectory, "coordinator.db")};Pooling=False")
            : new NpgsqlConnection(coordinator.Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
