using System.Text.Json;
using System.Text.Json.Serialization;

namespace TranscodeFarm.Core.Profiles;

/// <summary>Parses and validates a profile JSON document; errors name the offending field.</summary>
public static class ProfileParser
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static ProfileParseResult Parse(string json, string source)
    {
        LadderProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<LadderProfile>(json, Options);
        }
        catch (JsonException ex)
        {
            return ProfileParseResult.Invalid([$"{source}: not a valid profile document: {ex.Message}"]);
        }

        if (profile is null)
        {
            return ProfileParseResult.Invalid([$"{source}: empty document"]);
        }

        var errors = ProfileValidator.Validate(profile).Select(e => $"{source}: {e}").ToList();
        return errors.Count == 0 ? ProfileParseResult.Valid(profile) : ProfileParseResult.Invalid(errors);
    }
}

public sealed record ProfileParseResult(LadderProfile? Profile, IReadOnlyList<string> Errors)
{
    public bool IsValid => Profile is not null && Errors.Count == 0;
    public static ProfileParseResult Valid(LadderProfile p) => new(p, []);
    public static ProfileParseResult Invalid(IReadOnlyList<string> errors) => new(null, errors);
}
