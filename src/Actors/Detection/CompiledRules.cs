using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>A rule ready to run: its compiled match and block end, and the slot of its condition.</summary>
internal sealed record CompiledRule(ReasonRule Rule, Regex Regex, Regex? Until, int ConditionSlot);

/// <summary>
/// The log rules of one source in precedence order, with one multi-literal search (<see cref="LiteralScanner"/>)
/// that finds, for a line, every rule whose literals it contains: only those rules' regexes run. Rules without
/// literals (allowed for operators) are candidates on every line.
/// </summary>
internal sealed class CompiledRules
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private readonly LiteralScanner _scanner;
    private readonly int[][] _rulesOfLiteral;
    private readonly int[] _everyLine;
    private readonly bool[] _seenLiteral;
    private readonly bool[] _marked;
    private readonly List<int> _foundLiterals = [];

    public CompiledRules(ReasonCatalog catalog, string source)
    {
        var rules = catalog.Rules.Where(r => r.Source == source && r.Match.Length > 0).ToList();
        var slots = rules.Select(r => r.Condition).Distinct().Select((condition, slot) => (condition, slot)).ToDictionary(p => p.condition, p => p.slot);
        Rules = [.. rules.Select(r => new CompiledRule(r, Compile(r.Match), r.Block?.Until is { } until ? Compile(until) : null, slots[r.Condition]))];
        Conditions = [.. slots.Keys];
        _marked = new bool[Rules.Length];

        // A regex's first match pays one-time costs (JIT of the matcher's code) inside the match timeout: on a busy
        // node that first match could time out and a real fault line be skipped. Match once here, where time does not count.
        // Matching "" alone may never enter the matcher (a regex that needs a prefix gives up before it), so each rule
        // also matches its literals, where the matcher runs (a large XID alternation took > 50 ms the first time).
        foreach (var rule in Rules)
        {
            rule.Regex.IsMatch("");
            foreach (var literal in rule.Rule.Literals)
                rule.Regex.IsMatch(literal);
            rule.Until?.IsMatch("");
        }

        _everyLine = [.. Enumerable.Range(0, Rules.Length).Where(i => Rules[i].Rule.Literals.IsEmpty)];
        var byLiteral = Enumerable.Range(0, Rules.Length)
            .SelectMany(i => Rules[i].Rule.Literals.Select(literal => (literal, i)))
            .GroupBy(p => p.literal, StringComparer.Ordinal)
            .ToList();
        _scanner = new LiteralScanner([.. byLiteral.Select(g => g.Key)]);
        _rulesOfLiteral = [.. byLiteral.Select(g => g.Select(p => p.i).Distinct().ToArray())];
        _seenLiteral = new bool[_rulesOfLiteral.Length];
    }

    /// <summary>In precedence order (the catalog's order, which honours <c>before</c>).</summary>
    public CompiledRule[] Rules { get; }

    /// <summary>The conditions these rules serve, by slot.</summary>
    public ConditionType[] Conditions { get; }

    /// <summary>Fills <paramref name="candidates"/> with the indexes of the rules that may match <paramref name="text"/>, in precedence order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public void FindCandidates(ReadOnlySpan<char> text, List<int> candidates)
    {
        candidates.Clear();
        _scanner.FindAll(text, _seenLiteral, _foundLiterals);
        foreach (var literal in _foundLiterals)
        {
            foreach (var rule in _rulesOfLiteral[literal])
            {
                if (_marked[rule])
                    continue;
                _marked[rule] = true;
                candidates.Add(rule);
            }
        }

        if (candidates.Count == 0 && _everyLine.Length == 0)
            return;
        foreach (var rule in candidates)
            _marked[rule] = false;
        candidates.AddRange(_everyLine);
        candidates.Sort();
    }

    // Interpreted, not RegexOptions.Compiled: the literal search leaves a regex about one line in a hundred, so compiling
    // 20+ regexes to IL (50 ms of start and memory the agent keeps) bought nothing measurable.
    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, MatchTimeout);
}
