namespace TranscodeFarm.Queue;

/// <summary>A queue that can wake idle workers when jobs become claimable.</summary>
public interface IJobNotifications
{
    Task ListenAsync(Action onJobsReady, CancellationToken cancellationToken);
}
