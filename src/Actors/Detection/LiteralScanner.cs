using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Finds which of a set of literals (ordinal, case-sensitive) occur in a line, in one pass. Up to
/// <see cref="VectorizedLimit"/> literals: <see cref="SearchValues{T}"/> (vectorized Teddy; ~30–50 ns a line).
/// Beyond that Teddy's buckets overflow and nearly every position becomes a candidate (measured: 63 kernel
/// literals cost ~1 µs a line), so each literal is anchored instead at its rarest two characters, which one scan
/// looks up in an 8 KiB bit table (~1–2 ns a character; a candidate is verified in full).
/// </summary>
internal sealed class LiteralScanner
{
    public const int VectorizedLimit = 16;

    private readonly string[] _literals;
    private readonly SearchValues<string>? _vectorized;
    private readonly Dictionary<char, int[]> _byFirstChar = [];
    private readonly ulong[] _anchorBits = new ulong[65536 / 64];
    private readonly (int Literal, int Offset)[]?[] _anchors = [];

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
        for (var i = 0; i < _literals.Length; i++)
        {
            var offset = RarestPair(_literals[i]);
            var key = Key(_literals[i][offset], _literals[i][offset + 1]);
            _anchorBits[key >> 6] |= 1UL << (int)key;
            _anchors[key] = [.. _anchors[key] ?? [], (i, offset)];
        }
    }

    /// <summary>Adds to <paramref name="found"/> the index of every literal in <paramref name="text"/>, each once; <paramref name="seen"/> is all false on entry and is left so.</summary>
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

    private void FindAnchored(ReadOnlySpan<char> text, bool[] seen, List<int> found)
    {
        if (text.Length < 2)
            return;
        ref var chars = ref MemoryMarshal.GetReference(text);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_anchorBits);
        uint previous = chars;
        for (var i = 1; i < text.Length; i++)
        {
            uint current = Unsafe.Add(ref chars, i);
            var key = Key(previous, current);
            previous = current;
            if ((Unsafe.Add(ref bits, (int)(key >> 6)) & (1UL << (int)key)) == 0)
                continue;
            foreach (var (literal, offset) in _anchors[key]!)
                Verify(text, i - 1 - offset, literal, seen, found);
            if (found.Count == _literals.Length)
                return;
        }
    }

    private void Verify(ReadOnlySpan<char> text, int start, int literal, bool[] seen, List<int> found)
    {
        if (seen[literal] || start < 0 || !text[start..].StartsWith(_literals[literal], StringComparison.Ordinal))
            return;
        seen[literal] = true;
        found.Add(literal);
    }

    private static uint Key(uint first, uint second) => ((first << 8) ^ second) & 0xFFFF;

    /// <summary>The offset of the two characters least likely in kernel and service logs (lowercase, spaces, digits and ': ' are everywhere).</summary>
    private static int RarestPair(string literal)
    {
        var best = 0;
        var bestScore = int.MaxValue;
        for (var offset = 0; offset + 2 <= literal.Length; offset++)
        {
            var score = Commonness(literal[offset]) * 2 + Commonness(literal[offset + 1]);
            if (score < bestScore)
                (best, bestScore) = (offset, score);
        }

        return best;
    }

    private static int Commonness(char c) => c switch
    {
        ' ' => 9,
        'e' or 't' or 'a' or 'o' or 'i' or 'n' or 's' or 'r' => 7,
        >= '0' and <= '9' => 6,
        >= 'a' and <= 'z' => 5,
        ':' or '-' or '.' or ',' or '=' or '/' or '_' => 5,
        '(' or ')' or '[' or ']' => 4,
        >= 'A' and <= 'Z' => 3,
        _ => 2,
    };
}
