using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// The vectorized first pass of <see cref="LiteralScanner"/>'s anchored search: which of 16 positions of a line may
/// start one of the anchor pairs (Teddy's nibble masks over two characters, in eight buckets). It never misses a
/// position where an anchor starts; the positions it reports are checked exactly. ASCII anchors only (a text
/// character outside ASCII narrows to some byte, so it can only add a position, never hide one).
/// </summary>
internal sealed class AnchorPairFilter
{
    public const int Width = 16;
    private const int Buckets = 8;

    private readonly Vector128<byte> _firstLow;
    private readonly Vector128<byte> _firstHigh;
    private readonly Vector128<byte> _secondLow;
    private readonly Vector128<byte> _secondHigh;

    private AnchorPairFilter(byte[][] tables)
    {
        _firstLow = Vector128.Create(tables[0]);
        _firstHigh = Vector128.Create(tables[1]);
        _secondLow = Vector128.Create(tables[2]);
        _secondHigh = Vector128.Create(tables[3]);
    }

    /// <summary>A filter for <paramref name="anchors"/>; null where the CPU has no byte shuffle or an anchor is not ASCII.</summary>
    public static AnchorPairFilter? For(IReadOnlyCollection<(char First, char Second)> anchors)
    {
        if (!(Ssse3.IsSupported || AdvSimd.Arm64.IsSupported) || anchors.Count == 0 || anchors.Any(a => !char.IsAscii(a.First) || !char.IsAscii(a.Second)))
            return null;

        // A bucket reports a position whose first character matches the low and high nibbles of some anchor's first
        // and whose second matches some anchor's second, in any combination: put each anchor, the most frequent first,
        // where the bucket's estimated rate of such positions grows least.
        var tables = new[] { new byte[16], new byte[16], new byte[16], new byte[16] };
        var members = Enumerable.Range(0, Buckets).Select(_ => new List<(char, char)>()).ToArray();
        foreach (var anchor in anchors.Distinct().OrderByDescending(a => Rate([a])))
        {
            var bucket = Enumerable.Range(0, Buckets).MinBy(b => Rate([.. members[b], anchor]) - Rate(members[b]));
            members[bucket].Add(anchor);
            var (first, second) = anchor;
            tables[0][first & 15] |= (byte)(1 << bucket);
            tables[1][first >> 4] |= (byte)(1 << bucket);
            tables[2][second & 15] |= (byte)(1 << bucket);
            tables[3][second >> 4] |= (byte)(1 << bucket);
        }

        return new AnchorPairFilter(tables);
    }

    // How often a position matches a bucket holding these anchors, by the log character frequencies.
    private static double Rate(IReadOnlyCollection<(char First, char Second)> bucket)
    {
        if (bucket.Count == 0)
            return 0;
        return Matching(bucket.Select(a => a.First)) * Matching(bucket.Select(a => a.Second));

        static double Matching(IEnumerable<char> characters)
        {
            var lows = characters.Select(c => c & 15).ToHashSet();
            var highs = characters.Select(c => c >> 4).ToHashSet();
            var rate = 0.0;
            for (var c = (char)0; c < 128; c++)
                if (lows.Contains(c & 15) && highs.Contains(c >> 4))
                    rate += LogCharacterFrequency.Of(c);
            return rate;
        }
    }

    /// <summary>Bit i set: an anchor pair may start at <c>text[i]</c>, i &lt; 16. Reads 17 characters from <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Candidates(ref char text)
    {
        ref var units = ref Unsafe.As<char, ushort>(ref text);
        var first = Vector128.Narrow(Vector128.LoadUnsafe(ref units), Vector128.LoadUnsafe(ref units, 8));
        var second = Vector128.Narrow(Vector128.LoadUnsafe(ref units, 1), Vector128.LoadUnsafe(ref units, 9));
        var low = Vector128.Create((byte)15);
        var buckets = Lookup(_firstLow, first & low)
            & Lookup(_firstHigh, Vector128.ShiftRightLogical(first.AsUInt16(), 4).AsByte() & low)
            & Lookup(_secondLow, second & low)
            & Lookup(_secondHigh, Vector128.ShiftRightLogical(second.AsUInt16(), 4).AsByte() & low);
        return ~Vector128.Equals(buckets, Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> table, Vector128<byte> nibbles) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(table, nibbles) : AdvSimd.Arm64.VectorTableLookup(table, nibbles);
}
