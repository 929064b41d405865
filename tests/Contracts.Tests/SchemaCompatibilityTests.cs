using NodeHealth.Contracts.Tests.Ledger;
using ProtoBuf.Meta;

namespace NodeHealth.Contracts.Tests;

/// <summary>
/// contracts.proto is the ledger of every field ever used on the wire and in the journal. A field
/// number may never be given another name or type, nor vanish unless the ledger retires it with
/// `reserved`; additions must be recorded, and recording only ever appends.
/// </summary>
public sealed class SchemaCompatibilityTests
{
    private static readonly string LedgerPath = Path.Combine(AppContext.BaseDirectory, "contracts.proto");
    private static readonly string SourceLedgerPath = Path.Combine(AppContext.BaseDirectory, "../../../contracts.proto");

    public static string CurrentSchema()
    {
        var options = new SchemaGenerationOptions { Syntax = ProtoSyntax.Proto3, Package = "nodehealth" };
        options.Types.AddRange(ProtocolSamples.Types.OrderBy(t => t.Name));
        return RuntimeTypeModel.Default.GetSchema(options);
    }

    [Fact]
    public void Current_schema_keeps_every_recorded_field()
    {
        var violations = ProtoLedger.Violations(File.ReadAllText(LedgerPath), CurrentSchema());
        Assert.True(violations.Count == 0, "The schema breaks tests/Contracts.Tests/contracts.proto:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_current_field_is_recorded_in_the_ledger()
    {
        if (Environment.GetEnvironmentVariable("RECORD_CONTRACTS_PROTO") == "1")
            File.WriteAllText(SourceLedgerPath, ProtoLedger.Record(File.ReadAllText(SourceLedgerPath), CurrentSchema()));
        var added = ProtoLedger.Unrecorded(File.ReadAllText(LedgerPath), CurrentSchema());
        Assert.True(added.Count == 0,
            "New fields are not in tests/Contracts.Tests/contracts.proto; record them with RECORD_CONTRACTS_PROTO=1 dotnet test tests/Contracts.Tests:\n" + string.Join('\n', added));
    }

    [Fact]
    public void Checker_catches_a_reused_field_number()
    {
        const string current = "message Finding {\n   string Cause = 3;\n   string Message = 5;\n}";
        Assert.Single(ProtoLedger.Violations(Ledger, current));
    }

    [Fact]
    public void Checker_catches_a_removed_field_and_says_how_to_retire_it()
    {
        const string current = "message Finding {\n   string Message = 5;\n}";
        var violation = Assert.Single(ProtoLedger.Violations(Ledger, current));
        Assert.Contains("reserved 3;", violation);
    }

    [Fact]
    public void Removed_field_retired_as_reserved_is_accepted()
    {
        const string retired = "message Finding {\n   reserved 3; // string Reason\n   string Message = 5;\n}";
        const string current = "message Finding {\n   string Message = 5;\n}";
        Assert.Empty(ProtoLedger.Violations(retired, current));
    }

    [Fact]
    public void Reserved_number_in_use_again_is_caught()
    {
        const string retired = "message Finding {\n   reserved 3; // string Reason\n   string Message = 5;\n}";
        const string current = "message Finding {\n   string Cause = 3;\n   string Message = 5;\n}";
        Assert.Contains("reserved", Assert.Single(ProtoLedger.Violations(retired, current)));
    }

    [Fact]
    public void Recording_appends_new_fields_and_messages_and_keeps_removed_fields()
    {
        const string current = "message Finding {\n   string Message = 5;\n   int64 Count = 6;\n}\nmessage Lease {\n   string NodeName = 1;\n}";

        var recorded = ProtoLedger.Record(Ledger, current);

        Assert.Equal("message Finding {\n   string Reason = 3;\n   string Message = 5;\n   int64 Count = 6;\n}\nmessage Lease {\n   string NodeName = 1;\n}\n", recorded);
        Assert.Empty(ProtoLedger.Unrecorded(recorded, current));
        Assert.Single(ProtoLedger.Violations(recorded, current)); // Recording never hides a removal.
    }

    private const string Ledger = "message Finding {\n   string Reason = 3;\n   string Message = 5;\n}";
}
