using System.Runtime.CompilerServices;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Detection.Accelerators;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Classifies the lines of one log source with the catalog's rules for it. Per line: one vectorized search for
/// the rules' literals, then only the candidate rules' regexes, in precedence order; each condition takes the
/// first rule that matches (at most one detection per condition per line; several conditions may each get one).
/// A match then passes the rule's occurrence threshold (timed by the line's time) and rate limit. A rule with a
/// block starts a multi-line event: the lines that follow belong to it and are not classified on their own,
/// until one matches its <c>until</c>, it reaches maxLines, or no line comes for <see cref="DetectionOptions.BlockIdle"/>;
/// its detection comes out then, with the start line's number. Not thread-safe: one engine per reader.
/// </summary>
public sealed class DetectionEngine
{
    private readonly CompiledRules _rules;
    private readonly DetectionOptions _options;
    private readonly OccurrenceWindow _occurrences = new();
    private readonly RateLimiter? _rateLimiter;
    private readonly List<int> _candidates = [];
    private readonly GpuNames? _gpus;
    private readonly bool[] _namesGpu;
    private OpenBlock? _block;

    public DetectionEngine(ReasonCatalog catalog, string source, DetectionOptions? options = null)
    {
        _options = options ?? new DetectionOptions();
        _rules = new CompiledRules(catalog, source);
        _rateLimiter = _options.RateLimits ? new RateLimiter() : null;
        _namesGpu = [.. _rules.Rules.Select(r => NamesGpu(r.Rule))];
        _gpus = _namesGpu.Contains(true) ? new GpuNames(_options.Gpus ?? new GpuIdentities()) : null;
    }

    /// <summary>An accelerator rule whose entity is the line's PCI bus id: its entity is the GPU's name (<see cref="GpuNames"/>).</summary>
    public static bool NamesGpu(ReasonRule rule) =>
        rule.Condition == ConditionType.AcceleratedHardwareReady && rule.Entity == "{pci}";

    /// <summary>Rules of this source that read log lines (probe-only reasons excluded).</summary>
    public int RuleCount => _rules.Rules.Length;

    /// <summary>The conditions this source's rules serve, in catalog order.</summary>
    public IReadOnlyList<ConditionType> Conditions => _rules.Conditions;

    /// <summary>The line a block still open started at: its detection is not out yet, so a reader must not move its saved position past it.</summary>
    public long? OpenBlockLine => _block?.Line;

    /// <summary>Something waits for <see cref="Flush"/>: an open block, or rate windows whose repeats are not out yet.</summary>
    public bool HasPending => _block is not null || _rateLimiter?.TrackedKeys > 0;

    /// <summary>
    /// Classifies one line dated <paramref name="at"/>, numbered <paramref name="line"/> by the caller; appends what
    /// became due. The text is copied only when a rule may match it (about one line in a hundred).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public void Feed(ReadOnlySpan<char> text, DateTime at, long line, List<Detection> output)
    {
        _gpus?.Learn(text, line);
        if (_block is { } block)
        {
            if (at - block.LastAt <= _options.BlockIdle)
            {
                block.Take(at);
                if (block.Lines >= block.Rule.Rule.Block!.MaxLines || Matches(block.Rule.Until, text))
                    CloseBlock(output);
                return;
            }

            CloseBlock(output);
        }

        _rules.FindCandidates(text, _candidates);
        if (_candidates.Count == 0)
            return;
        var candidateText = text.ToString();
        var taken = 0UL; // Condition slots that already have their detection for this line.
        foreach (var index in _candidates)
        {
            var rule = _rules.Rules[index];
            var slot = 1UL << rule.ConditionSlot;
            if ((taken & slot) != 0)
                continue;
            var match = Match(rule.Regex, candidateText);
            if (match is null)
                continue;
            // A family's rule means the concrete reason of the matched value; a value outside the family leaves the line to later rules.
            var meant = rule.Rule.Family is { } family ? FamilyValues.Concrete(family, rule.Rule, match) : rule.Rule;
            if (meant is null)
                continue;

            taken |= slot;
            var entity = _namesGpu[index] ? _gpus!.Name(DetectionText.Entity(meant, match), line) : DetectionText.Entity(meant, match);
            // A line below the rule's threshold is still this rule's: a lower-precedence rule does not get it.
            var fires = _occurrences.ShouldFire(meant, GpuIdentities.KeyOf(entity), at);
            var detection = fires ? new Detection(meant, DetectionText.Message(meant, candidateText, match, entity), entity, 1, line, at) : null;
            if (rule.Rule.Block is not null && _block is null)
                _block = new OpenBlock(rule, detection, line, at);
            else if (detection is not null)
                Emit(detection, output);
        }
    }

    /// <summary>Closes a block idle since before <paramref name="now"/> and emits the folds of rate windows that have passed; <see cref="DateTime.MaxValue"/> ends the input.</summary>
    public void Flush(DateTime now, List<Detection> output)
    {
        if (_block is { } block && (now == DateTime.MaxValue || now - block.LastAt >= _options.BlockIdle))
            CloseBlock(output);
        _rateLimiter?.Flush(now, output);
    }

    private void CloseBlock(List<Detection> output)
    {
        var block = _block!;
        _block = null;
        if (block.Detection is { } detection)
            Emit(detection, output);
    }

    private void Emit(Detection detection, List<Detection> output)
    {
        if (_rateLimiter is null)
            output.Add(detection);
        else
            _rateLimiter.Pass(detection, output);
    }

    private static Match? Match(Regex regex, string text)
    {
        try
        {
            var match = regex.Match(text);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null; // A pathological line must not stall the monitor; the other rules still get their chance.
        }
    }

    private static bool Matches(Regex? regex, ReadOnlySpan<char> text)
    {
        try
        {
            return regex is not null && regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private sealed class OpenBlock(CompiledRule rule, Detection? detection, long line, DateTime at)
    {
        public CompiledRule Rule { get; } = rule;
        public Detection? Detection { get; } = detection;
        public long Line { get; } = line;
        public DateTime LastAt { get; private set; } = at;
        public int Lines { get; private set; } = 1;

        public void Take(DateTime at)
        {
            Lines++;
            if (at > LastAt)
                LastAt = at;
        }
    }
}
