using System.Globalization;
using System.Text;

/// <summary>
/// Writes a realistic kernel log: a boot, then pod churn and netfilter audit chatter with varied pids, veths,
/// devices and numbers, and one fault event (a report of one or more lines) per <c>faultEvery</c> lines. The
/// forms change every 20,000 lines (raw /dev/kmsg records, dmesg lines, syslog lines), as the files
/// operators collect do. Seeded, so a run is repeatable. With <c>gpuNode</c>, the log of an 8-GPU training node: the
/// NVIDIA driver's boot lines, one chatter line in 50 from the GPU stack (XID 43/45 of killed jobs among them) and
/// GPU faults (XIDs, an NVSwitch SXid, an NCCL crash) as one fault event in two.
/// </summary>
sealed class KernelLogGenerator(int seed = 6, int linesPerForm = 20_000, bool gpuNode = false)
{
    private static readonly string[] Forms = ["kmsg", "dmesg", "syslog"];
    private static readonly DateTime BootWallClock = new(DateTime.UtcNow.Year, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    private readonly Random _random = new(seed);
    private long _micros = 1_000_000;
    private long _sequence;
    private long _audit = 1_000;

    /// <summary>Writes <paramref name="count"/> lines to <paramref name="path"/>; 0 <paramref name="faultEvery"/> writes no faults. Returns the fault events written.</summary>
    public int Write(string path, int count, int faultEvery)
    {
        using var output = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var written = 0;
        var faults = 0;
        foreach (var boot in gpuNode ? [.. KernelLogVocabulary.Boot, .. KernelLogVocabulary.GpuBoot] : KernelLogVocabulary.Boot)
        {
            if (written == count)
                return faults;
            Emit(output, boot, written++, stepMicros: 1_000);
        }

        while (written < count)
        {
            if (faultEvery > 0 && _random.Next(faultEvery) == 0)
            {
                faults++;
                var report = gpuNode && _random.Next(2) == 0
                    ? KernelLogVocabulary.GpuFaults[_random.Next(KernelLogVocabulary.GpuFaults.Length)]
                    : KernelLogVocabulary.Faults[_random.Next(KernelLogVocabulary.Faults.Length)];
                var values = new Values(_random);
                foreach (var line in report)
                {
                    if (written == count)
                        break;
                    Emit(output, values.Fill(line, ref _audit), written++, stepMicros: 50);
                }

                continue;
            }

            var template = gpuNode && _random.Next(50) == 0
                ? KernelLogVocabulary.GpuChatter[_random.Next(KernelLogVocabulary.GpuChatter.Length)]
                : KernelLogVocabulary.Chatter[_random.Next(KernelLogVocabulary.Chatter.Length)];
            Emit(output, new Values(_random).Fill(template, ref _audit), written++, stepMicros: _random.Next(20_000));
        }

        return faults;
    }

    /// <summary>Writes <paramref name="count"/> kubelet journal lines (journalctl short form, a few bare).</summary>
    public void WriteKubelet(string path, int count)
    {
        using var output = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        for (var i = 0; i < count; i++)
        {
            _micros += _random.Next(200_000);
            var wall = BootWallClock.AddTicks(_micros * 10);
            var template = KernelLogVocabulary.Kubelet[_random.Next(KernelLogVocabulary.Kubelet.Length)]
                .Replace("{klog}", wall.ToString("MMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
            var text = new Values(_random).Fill(template, ref _audit);
            output.WriteLine(i % 10 == 9 ? text : string.Create(CultureInfo.InvariantCulture, $"{wall:MMM dd HH:mm:ss} ip-10-0-1-23 kubelet[2345]: {text}"));
        }
    }

    private void Emit(StreamWriter output, string text, int index, int stepMicros)
    {
        _micros += stepMicros;
        var form = Forms[index / linesPerForm % Forms.Length];
        var seconds = _micros / 1_000_000;
        var fraction = _micros % 1_000_000;
        switch (form)
        {
            case "kmsg":
                output.Write(string.Create(CultureInfo.InvariantCulture, $"6,{_sequence++},{_micros},-;"));
                output.WriteLine(text.Replace("\t", "\\x09"));
                break;
            case "dmesg":
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{seconds,5}.{fraction:D6}] {text}"));
                break;
            default:
                var wall = BootWallClock.AddTicks(_micros * 10);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wall:MMM} {wall.Day,2} {wall:HH:mm:ss} ip-10-0-1-23 kernel: {text}"));
                break;
        }
    }

    /// <summary>The values of one line or report: the same {pid} or {comm} throughout one fault report.</summary>
    private sealed class Values(Random random)
    {
        private readonly string _pid = random.Next(300, 4_000_000).ToString(CultureInfo.InvariantCulture);
        private readonly string _comm = KernelLogVocabulary.Commands[random.Next(KernelLogVocabulary.Commands.Length)];
        private readonly string _veth = "veth" + random.Next().ToString("x8", CultureInfo.InvariantCulture);
        private readonly string _hex4 = random.Next(0x10000).ToString("x4", CultureInfo.InvariantCulture);
        private readonly string _cpu = random.Next(4).ToString(CultureInfo.InvariantCulture);
        private readonly string _disk = random.Next(1, 5).ToString(CultureInfo.InvariantCulture);
        private readonly string _uuid = NewUuid(random);
        private readonly string _gpu = KernelLogVocabulary.GpuBusIds[random.Next(KernelLogVocabulary.GpuBusIds.Length)];

        public string Fill(string template, ref long audit)
        {
            if (!template.Contains('{'))
                return template;
            var text = new StringBuilder(template)
                .Replace("{pid}", _pid).Replace("{comm}", _comm).Replace("{veth}", _veth).Replace("{hex4}", _hex4)
                .Replace("{cpu}", _cpu).Replace("{disk}", _disk).Replace("{uuid}", _uuid).Replace("{gpu}", _gpu)
                .Replace("{hex2}", random.Next(0x100).ToString("x2", CultureInfo.InvariantCulture))
                .Replace("{port}", random.Next(1, 64).ToString(CultureInfo.InvariantCulture));
            if (template.Contains("{audit}"))
                text.Replace("{audit}", $"{1_732_700_000 + audit / 1000}.{audit % 1000:D3}:{audit++}");
            for (var digits = 1; digits <= 9; digits++)
                text.Replace($"{{n{digits}}}", random.NextInt64((long)Math.Pow(10, digits - 1), (long)Math.Pow(10, digits)).ToString(CultureInfo.InvariantCulture));
            return text.ToString();
        }

        private static string NewUuid(Random random)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }
    }
}
