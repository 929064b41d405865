namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>Polling with a deadline instead of sleeping: the assertion's last failure is what the test reports.</summary>
public static class Eventually
{
    public static async Task Holds(Action assertion, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }
        }
    }

    /// <summary>Stays true for the whole period: for "nothing more happens".</summary>
    public static async Task Stays(Action assertion, TimeSpan period)
    {
        var end = DateTime.UtcNow + period;
        while (DateTime.UtcNow < end)
        {
            assertion();
            await Task.Delay(25);
        }

        assertion();
    }
}
