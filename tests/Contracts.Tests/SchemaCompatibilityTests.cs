using System.Text.RegularExpressions;
using ProtoBuf.Meta;

namespace NodeHealth.Contracts.Tests;

/// <summary>
/// contracts.proto is the ledger of every field ever used on the wire and in the journal. A field
/// number may never be removed or given another name or type; additions must be recorded.
/// </summary>
public sealed partial class SchemaCompatibilityTests
{
    private static readonly string SnapshotPath = Path.Combine(AppContext.BaseDirectory, "contracts.proto");

    public static string CurrentSchema()
    {
        var options = new SchemaGenerationOptions { Syntax = ProtoSyntax.Proto3, Package = "nodehealth" };
        options.Types.AddRange(ProtocolSamples.Types.OrderBy(t => t.Name));
        return RuntimeTypeModel.Default.GetSchema(options);
    }

    [Fact]
    public void Current_schema_keeps_every_recorded_field()
    {
        var violations = Violations(File.ReadAllText(SnapshotPath), CurrentSchema());
        Assert.True(violations.Count == 0, "Field numbers were removed or reused:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_current_field_is_recorded_in_the_snapshot()
    {
        if (Environment.GetEnvironmentVariable("RECORD_CONTRACTS_PROTO") == "1")
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "../../../contracts.proto"), CurrentSchema());
        var added = Violations(CurrentSchema(), File.ReadAllText(SnapshotPath));
        Assert.True(added.Count == 0,
            "New fields are not in tests/Contracts.Tests/contracts.proto; record them with RECORD_CONTRACTS_PROTO=1 dotnet test tests/Contracts.Tests:\n" + string.Join('\n', added));
    }

    [Fact]
    public void Checker_catches_a_reused_field_number()
    {
        const string before = "message Finding {\n   string Reason = 3;\n   string Message = 5;\n}";
        const string reused = "message Finding {\n   string Cause = 3;\n   string Message = 5;\n}";
        Assert.Single(Violations(before, reused));
    }

    [Fact]
    public void Checker_catches_a_removed_field()
    {
        const string before = "message Finding {\n   string Reason = 3;\n   string Message = 5;\n}";
        const string removed = "message Finding {\n   string Message = 5;\n}";
        Assert.Single(Violations(before, removed));
    }

    /// <summary>Fields of <paramref name="recorded"/> that <paramref name="current"/> lacks or defines differently.</summary>
    public static List<string> Violations(string recorded, string current)
    {
        var now = Fields(current);
        return [.. Fields(recorded)
            .Where(f => !now.TryGetValue(f.Key, out var definition) || definition != f.Value)
            .Select(f => $"{f.Key.Message}.{f.Key.Number}: was '{f.Value}', now '{now.GetValueOrDefault(f.Key) ?? "missing"}'")];
    }

    private static Dictionary<(string Message, int Number), string> Fields(string schema)
    {
        var fields = new Dictionary<(string, int), string>();
        var message = "";
        foreach (var line in schema.Split('\n'))
        {
            if (MessageLine().Match(line) is { Success: true } m)
                message = m.Groups[1].Value;
            else if (FieldLine().Match(line) is { Success: true } f)
                fields[(message, int.Parse(f.Groups[2].Value))] = f.Groups[1].Value.Trim();
        }

        return fields;
    }

    [GeneratedRegex(@"^\s*(?:message|enum) (\w+) \{")]
    private static partial Regex MessageLine();

    [GeneratedRegex(@"^\s*((?:repeated |optional )?[\w.]+ \w+|\w+) = (\d+)")]
    private static partial Regex FieldLine();
}
