namespace TranscodeFarm.Worker.Pipeline;

/// <summary>The stages of a job, in the order they run (<see cref="TranscodePipeline"/> sequences them).</summary>
public sealed record TranscodeStages(
    SourceStage Source,
    CatalogStage Catalog,
    AssetKeys Keys,
    EncodeStage Encode,
    GateStage Gate,
    PublishStage Publish,
    SubtitleStage? Subtitles = null);
