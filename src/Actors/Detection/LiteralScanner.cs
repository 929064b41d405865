using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Finds which of a set of literals (ordinal, case-sensitive) occur in a line, in one pass. Up to
/// <see cref="VectorizedLimit"/> literals: <see cref="SearchValues{T}"/> (vectorized Teddy; ~30–50 ns a line).
/// Beyond that Teddy's buckets overflow and nearly every position becomes a candidate (measured: 63 kernel
/// literals cost ~1 µs a line), so each literal is anchored instead at its rarest two characters, which one scan
/// looks up in an 8 KiB bit table (a candidate is verified in full); where the CPU allows, an
/// <see cref="AnchorPairFilter"/> first finds the few positions worth looking up, 16 characters at a time.
/// </summary>
internal sealed class LiteralScanner
{
    public const int VectorizedLimit = 16;

    private readonly string[] _literals;
    private readonly SearchValues<string>? _vectorized;
    private readonly Dictionary<char, int[]> _byFirstChar = [];
    private readonly ulong[] _anchorBits = new ulong[65536 / 64];
    private readonly (int Literal, int Offset)[]?[] _anchors = [];
    private readonly AnchorPairFilter? _filter;

    public LiteralScanner(IReadOnlyList<string> literals)
    {
        _literals = [.. literals];
        if (_literals.Length == 0)
            return;
        if (_literals.Length <= VectorizedLimit)
        {
            _vectorized = SearchValues.Create(_literals, StringComparison.Ordinal);
            foreach (var group in Enumerable.Range(0, _literals.Length).GroupBy(i => _literals[i][0]))
                _byFirstChar[group.Key] = [.. group];
            return;
        }

        _anchors = new (int, int)[]?[65536];
        var pairs = new List<(char, char)>();
        for (var i = 0; i < _literals.Length; i++)
        {
            var offset = RarestPair(_literals[i]);
            var key = Key(_literals[i][offset], _literals[i][offset + 1]);
            _anchorBits[key >> 6] |= 1UL << (int)key;
            _anchors[key] = [.. _anchors[key] ?? [], (i, offset)];
            pairs.Add((_literals[i][offset], _literals[i][offset + 1]));
        }

        _filter = AnchorPairFilter.For(pairs);
    }

    /// <summary>Adds to <paramref name="found"/> the index of every literal in <paramref name="text"/>, each once; <paramref name="seen"/> is all false on entry and is left so.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public void FindAll(ReadOnlySpan<char> text, bool[] seen, List<int> found)
    {
        found.Clear();
        if (_vectorized is not null)
            FindVectorized(text, seen, found);
        else if (_literals.Length > 0)
            FindAnchored(text, seen, found);
        foreach (var literal in found)
            seen[literal] = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    private void FindVectorized(ReadOnlySpan<char> text, bool[] seen, List<int> found)
    {
        var offset = 0;
        while (found.Count < _literals.Length && offset < text.Length)
        {
            var next = text[offset..].IndexOfAny(_vectorized!);
            if (next < 0)
                return;
            var at = offset + next;
            foreach (var literal in _byFirstChar[text[at]])
                Verify(text, at, literal, seen, found);
            offset = at + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    private void FindAnchored(ReadOnlySpan<char> text, bool[] seen, List<int> found)
    {
        ref var chars = ref MemoryMarshal.GetReference(text);
        var start = 0;
        if (_filter is not null)
        {
            for (; start + AnchorPairFilter.Width < text.Length; start += AnchorPairFilter.Width)
            {
                for (var positions = _filter.Candidates(ref Unsafe.Add(ref chars, start)); positions != 0; positions &= positions - 1)
                    Anchor(text, start + BitOperations.TrailingZeroCount(positions), seen, found);
                if (found.Count == _literals.Length)
                    return;
            }
        }

        for (var at = start; at + 1 < text.Length; at++)
            Anchor(text, at, seen, found);
    }

    // The literals anchored at the pair text[at], text[at + 1], if any is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Anchor(ReadOnlySpan<char> text, int at, bool[] seen, List<int> found)
    {
        var key = Key(text[at], text[at + 1]);
        if ((_anchorBits[key >> 6] & (1UL << (int)key)) == 0)
            return;
        foreach (var (literal, offset) in _anchors[key]!)
            Verify(text, at - offset, literal, seen, found);
    }

    private void Verify(ReadOnlySpan<char> text, int start, int literal, bool[] seen, List<int> found)
    {
        if (seen[literal] || start < 0 || !text[start..].StartsWith(_literals[literal], StringComparison.Ordinal))
            return;
        seen[literal] = true;
        found.Add(literal);
    }

    private static uint Key(uint first, uint second) => ((first << 8) ^ second) & 0xFFFF;

    /// <summary>The offset of the two adjacent characters least likely to occur together in a log line.</summary>
    private static int RarestPair(string literal)
    {
        var best = 0;
        var bestFrequency = double.MaxValue;
        for (var offset = 0; offset + 2 <= literal.Length; offset++)
        {
            var frequency = LogCharacterFrequency.Of(literal[offset]) * LogCharacterFrequency.Of(literal[offset + 1]);
            if (frequency < bestFrequency)
                (best, bestFrequency) = (offset, frequency);
        }

        return best;
    }
}
