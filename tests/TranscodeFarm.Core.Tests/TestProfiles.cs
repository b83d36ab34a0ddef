using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests;

internal static class TestProfiles
{
    public static LadderProfile Ladder(params int[] heights) => new()
    {
        Name = "t",
        SegmentSeconds = 4,
        GopSeconds = 2,
        MaxFrameRate = 30,
        Video = heights.Select(h => new VideoRendition { Name = $"{h}p", Height = h, BitrateKbps = h * 5, Profile = "main" }).ToList(),
        Audio = [new AudioRendition { Name = "aac", BitrateKbps = 128, Channels = 2 }],
    };
}
