using System.Text.Json;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Tests;

public class PipelineStageTests
{
    [Theory]
    [InlineData(PipelineStage.Qc, "qc")]
    [InlineData(PipelineStage.Encode, "encode")]
    [InlineData(PipelineStage.Fingerprint, "fingerprint")]
    [InlineData(PipelineStage.Done, "done")]
    public void Stages_are_written_as_the_lower_case_words_used_before_they_were_typed(PipelineStage stage, string word)
    {
        Assert.Equal(word, stage.Name());
        var json = JsonSerializer.Serialize(new JobProgress(stage, 0.5, null), JsonSerializerOptions.Web);
        Assert.Contains($"\"stage\":\"{word}\"", json, StringComparison.Ordinal);
        Assert.Equal(stage, JsonSerializer.Deserialize<JobProgress>(json, JsonSerializerOptions.Web)!.Stage);
    }

    [Fact]
    public void Progress_stored_before_the_stages_were_typed_still_reads() =>
        Assert.Equal(PipelineStage.Package, JsonSerializer.Deserialize<JobProgress>("""{"stage":"package","fraction":1,"speed":null}""", JsonSerializerOptions.Web)!.Stage);
}
