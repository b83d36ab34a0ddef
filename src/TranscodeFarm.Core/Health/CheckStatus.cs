namespace TranscodeFarm.Core.Health;

/// <summary>A check's verdict, worst last (the farm's verdict is the worst of its checks).</summary>
public enum CheckStatus
{
    Healthy,
    /// <summary>Working, but something deserves a look: still answers HTTP 200.</summary>
    Degraded,
    Unhealthy,
}
