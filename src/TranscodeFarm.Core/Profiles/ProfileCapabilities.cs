namespace TranscodeFarm.Core.Profiles;

/// <summary>What a worker needs to run a profile. libx264 and aac are everywhere ffmpeg is; anything else is routed.</summary>
public static class ProfileCapabilities
{
    public const string BaselineEncoder = "libx264";

    public static string EncoderCapability(string codec) => "encoder:" + codec;

    /// <summary>The capability a job with this profile requires, or null. (One per job: the first non-baseline encoder.)</summary>
    public static string? Required(LadderProfile profile) =>
        profile.Video.Select(v => v.Codec).FirstOrDefault(c => c != BaselineEncoder) is { } codec ? EncoderCapability(codec) : null;
}
