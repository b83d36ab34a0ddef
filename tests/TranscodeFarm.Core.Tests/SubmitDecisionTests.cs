using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Tests;

public sealed class SubmitDecisionTests
{
    private const string Claimed = "/data/drop/.processing/b2/source.mp4";

    private static SubmitResult Existing(JobState state, string sourcePath = "/data/drop/done/movie.mp4") => new(new JobRecord
    {
        Id = "j1",
        IdempotencyKey = "abc:h264-cmaf",
        SourcePath = sourcePath,
        SourceName = "movie.mp4",
        Profile = "h264-cmaf",
        Origin = JobOrigin.DropFolder,
        State = state,
    }, Created: false);

    [Fact]
    public void A_new_job_is_a_submission()
    {
        var created = Existing(JobState.Queued, Claimed) with { Created = true };
        Assert.Equal(IngestOutcome.Submitted, SubmitDecision.Decide(created, Claimed));
    }

    [Theory]
    [InlineData(JobState.Queued)]
    [InlineData(JobState.Running)]
    [InlineData(JobState.Succeeded)]
    public void The_same_content_waiting_running_or_done_is_a_duplicate(JobState state) =>
        Assert.Equal(IngestOutcome.Duplicate, SubmitDecision.Decide(Existing(state), Claimed));

    [Theory]
    [InlineData(JobState.Failed)]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Cancelled)]
    public void The_same_content_after_a_failure_retries_the_old_job(JobState state) =>
        Assert.Equal(IngestOutcome.RetryOfFailed, SubmitDecision.Decide(Existing(state), Claimed));

    [Theory]
    [InlineData(JobState.Queued)]
    [InlineData(JobState.Failed)]
    public void A_job_that_already_names_this_copy_is_left_alone(JobState state) =>
        // A crash between submit and the ingest's record, or two scanners on one object: whatever its state, not a retry.
        Assert.Equal(IngestOutcome.AlreadySubmitted, SubmitDecision.Decide(Existing(state, Claimed), Claimed));

    [Fact]
    public void Only_a_duplicate_leaves_workers_asleep_and_only_new_work_is_counted()
    {
        Assert.Equal([true, true, true, false], Enum.GetValues<IngestOutcome>().Select(o => o.WakesWorkers()));
        Assert.Equal(["submitted", null, "retried", "duplicate"], Enum.GetValues<IngestOutcome>().Select(o => o.MetricLabel()));
    }
}
