using System.Text.RegularExpressions;

namespace NodeHealth.Contracts.Tests.Ledger;

/// <summary>
/// contracts.proto read as a ledger: every field number each message or enum ever used, with its
/// definition, and the numbers retired with <c>reserved N;</c>. Recording only appends; nothing
/// recorded is ever dropped.
/// </summary>
public static partial class ProtoLedger
{
    /// <summary>
    /// What <paramref name="current"/> breaks of <paramref name="recorded"/>: a field redefined, a field gone that
    /// the ledger does not reserve, a reserved number in use again.
    /// </summary>
    public static List<string> Violations(string recorded, string current)
    {
        var ledger = Parse(recorded);
        var now = Parse(current);
        var violations = new List<string>();
        foreach (var (key, definition) in ledger.Fields)
        {
            if (now.Fields.TryGetValue(key, out var present))
            {
                if (present != definition)
                    violations.Add($"{key.Block}.{key.Number}: was '{definition}', now '{present}'");
            }
            else if (!ledger.Reserved.Contains(key))
            {
                violations.Add($"{key.Block}.{key.Number}: '{definition}' is gone; if that is intended, replace its line in " +
                               $"{key.Block} with 'reserved {key.Number}; // {definition}' so the number is never used again");
            }
        }

        foreach (var key in ledger.Reserved.Where(now.Fields.ContainsKey))
            violations.Add($"{key.Block}.{key.Number}: reserved, but used again by '{now.Fields[key]}'");
        return violations;
    }

    /// <summary>Fields of <paramref name="current"/> the ledger has no line for.</summary>
    public static List<string> Unrecorded(string recorded, string current)
    {
        var ledger = Parse(recorded);
        return [.. Parse(current).Fields
            .Where(f => !ledger.Fields.ContainsKey(f.Key) && !ledger.Reserved.Contains(f.Key))
            .Select(f => $"{f.Key.Block}.{f.Key.Number}: '{f.Value}'")];
    }

    /// <summary>
    /// The ledger with what <paramref name="current"/> adds: new fields at the end of their block, new blocks
    /// and imports at the end of their part. Every recorded line stays, whether or not it is still in use.
    /// </summary>
    public static string Record(string recorded, string current)
    {
        var ledger = Parse(recorded);
        var now = Parse(current);
        var lines = recorded.TrimEnd('\n').Split('\n').ToList();

        foreach (var block in now.Blocks)
        {
            var added = block.Lines.Where(l => FieldOf(block.Name, l) is { } key && !ledger.Fields.ContainsKey(key) && !ledger.Reserved.Contains(key)).ToList();
            var existing = ledger.Blocks.FirstOrDefault(b => b.Name == block.Name);
            if (existing is null)
                lines.AddRange([block.Header, .. block.Lines, "}"]);
            else if (added.Count > 0)
                lines.InsertRange(ClosingLine(lines, block.Header), added);
        }

        var imports = now.Preamble.Where(l => l.StartsWith("import ", StringComparison.Ordinal) && !ledger.Preamble.Contains(l)).ToList();
        lines.InsertRange(lines.FindLastIndex(l => l.StartsWith("import ", StringComparison.Ordinal)) + 1, imports);
        return string.Join('\n', lines) + "\n";
    }

    private static int ClosingLine(List<string> lines, string header)
    {
        var start = lines.IndexOf(header);
        return lines.FindIndex(start, l => l.Trim() == "}");
    }

    private static (string Block, int Number)? FieldOf(string block, string line) =>
        FieldLine().Match(line) is { Success: true } f ? (block, int.Parse(f.Groups[2].Value)) : null;

    private static Parsed Parse(string schema)
    {
        var parsed = new Parsed();
        Block? block = null;
        foreach (var line in schema.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (BlockLine().Match(line) is { Success: true } m)
                parsed.Blocks.Add(block = new Block(m.Groups[1].Value, line));
            else if (line.Trim() == "}")
                block = null;
            else if (block is null)
                parsed.Preamble.Add(line);
            else
            {
                block.Lines.Add(line);
                if (FieldLine().Match(line) is { Success: true } f)
                    parsed.Fields[(block.Name, int.Parse(f.Groups[2].Value))] = f.Groups[1].Value.Trim();
                else if (ReservedLine().Match(line) is { Success: true } r)
                    foreach (var number in r.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        parsed.Reserved.Add((block.Name, int.Parse(number)));
            }
        }

        return parsed;
    }

    private sealed class Parsed
    {
        public List<string> Preamble { get; } = [];
        public List<Block> Blocks { get; } = [];
        public Dictionary<(string Block, int Number), string> Fields { get; } = [];
        public HashSet<(string Block, int Number)> Reserved { get; } = [];
    }

    private sealed record Block(string Name, string Header)
    {
        public List<string> Lines { get; } = [];
    }

    [GeneratedRegex(@"^\s*(?:message|enum) (\w+) \{")]
    private static partial Regex BlockLine();

    [GeneratedRegex(@"^\s*((?:repeated |optional )?[\w.]+ \w+|\w+) = (\d+)")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^\s*reserved ([\d,\s]+);")]
    private static partial Regex ReservedLine();
}
