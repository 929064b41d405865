using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// A rule's <c>rateLimit: N/W</c>: per (condition, reason, entity; a GPU by its bus id, <see cref="GpuIdentities.KeyOf"/>), at most N detections pass in a window that starts
/// at the first; the repeats after them are counted, and once the window has passed they come out as one detection
/// whose Count is how many lines it stands for (dated by the last, numbered by the first). At most
/// <see cref="MaxKeys"/> keys are tracked; the oldest windows are closed early (their folds emitted) to make room.
/// </summary>
internal sealed class RateLimiter
{
    public const int MaxKeys = 4096;
    private readonly Dictionary<(ConditionType Condition, string Reason, string? Entity), Window> _windows = [];

    public int TrackedKeys => _windows.Count;

    public void Pass(Detection detection, List<Detection> output)
    {
        if (detection.Rule.RateLimit is not { } limit)
        {
            output.Add(detection);
            return;
        }

        var key = (detection.Rule.Condition, detection.Rule.Reason, GpuIdentities.KeyOf(detection.Entity)); // A GPU is one key before and after its UUID is known.
        if (_windows.TryGetValue(key, out var window) && detection.At - window.Start >= limit.Window)
        {
            Fold(window, output);
            _windows.Remove(key);
            window = null;
        }

        if (window is null)
        {
            if (_windows.Count >= MaxKeys)
                CloseOldest(output);
            _windows[key] = window = new Window(detection.At, limit.Window);
        }

        if (window.Passed < limit.Count)
        {
            window.Passed++;
            output.Add(detection);
            return;
        }

        window.FirstHeldLine ??= detection.Line;
        window.Held = (int)Math.Min(int.MaxValue, (long)window.Held + detection.Count);
        window.LastHeld = detection;
    }

    /// <summary>Emits the folds of windows that have passed by <paramref name="now"/> and forgets them.</summary>
    public void Flush(DateTime now, List<Detection> output)
    {
        List<(ConditionType, string, string?)>? passed = null;
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start < window.Length)
                continue;
            Fold(window, output);
            (passed ??= []).Add(key);
        }

        foreach (var key in passed ?? [])
            _windows.Remove(key);
    }

    private static void Fold(Window window, List<Detection> output)
    {
        if (window.LastHeld is { } last)
            output.Add(last with { Count = window.Held, Line = window.FirstHeldLine!.Value });
    }

    private void CloseOldest(List<Detection> output)
    {
        foreach (var (key, window) in _windows.OrderBy(pair => pair.Value.Start).Take(MaxKeys / 4).ToList())
        {
            Fold(window, output);
            _windows.Remove(key);
        }
    }

    private sealed class Window(DateTime start, TimeSpan length)
    {
        public DateTime Start { get; } = start;
        public TimeSpan Length { get; } = length;
        public int Passed { get; set; }
        public int Held { get; set; }
        public long? FirstHeldLine { get; set; }
        public Detection? LastHeld { get; set; }
    }
}
