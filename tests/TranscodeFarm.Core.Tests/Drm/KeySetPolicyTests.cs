using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Tests.Drm;

public class KeySetPolicyTests
{
    private static readonly KeySetPolicy VendorForOperators = new() { Profiles = ["premium"], Submitters = [JobOrigin.Submit] };

    [Fact]
    public void A_job_of_an_allowed_profile_from_an_allowed_submitter_may_use_the_key_set()
    {
        Assert.Null(VendorForOperators.RefusalFor("vendor-1", "premium", JobOrigin.Submit, needsClearDelivery: false));
    }

    [Fact]
    public void Another_profile_is_refused_with_a_reason_the_producer_can_act_on()
    {
        var reason = VendorForOperators.RefusalFor("vendor-1", "h264-cmaf", JobOrigin.Submit, needsClearDelivery: false);
        Assert.NotNull(reason);
        Assert.StartsWith("key set 'vendor-1' may not be used by profile 'h264-cmaf' (allowed: premium)", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JobOrigin.DropFolder, "the drop folder")]
    [InlineData(JobOrigin.S3Prefix, "the S3 ingest prefix")]
    public void Another_submitter_is_refused_even_with_an_allowed_profile(JobOrigin origin, string named)
    {
        var reason = VendorForOperators.RefusalFor("vendor-1", "premium", origin, needsClearDelivery: false);
        Assert.Equal($"key set 'vendor-1' may not be used by jobs from {named} (allowed: submit): ask the farm operator to submit the job, " +
            "or to allow this source (`transcodefarm keys policy`)", reason);
    }

    [Fact]
    public void A_list_left_out_does_not_restrict_and_an_empty_list_allows_nobody()
    {
        var anyProfile = new KeySetPolicy { Submitters = [JobOrigin.DropFolder] };
        Assert.Null(anyProfile.RefusalFor("k", "whatever", JobOrigin.DropFolder, false));
        var nobody = new KeySetPolicy { Profiles = [] };
        Assert.Contains("(allowed: none)", nobody.RefusalFor("k", "whatever", JobOrigin.Submit, false), StringComparison.Ordinal);
        Assert.True(new KeySetPolicy().IsUnrestricted);
        Assert.False(anyProfile.IsUnrestricted);
    }

    [Fact]
    public void Profile_names_compare_exactly()
    {
        Assert.NotNull(VendorForOperators.RefusalFor("k", "Premium", JobOrigin.Submit, false));
        Assert.NotNull(VendorForOperators.RefusalFor("k", "premium ", JobOrigin.Submit, false));
    }

    [Fact]
    public void A_job_that_needs_clear_delivery_is_refused_unless_the_key_set_allows_it()
    {
        var reason = VendorForOperators.RefusalFor("vendor-1", "premium", JobOrigin.Submit, needsClearDelivery: true);
        Assert.NotNull(reason);
        Assert.StartsWith("key set 'vendor-1' may not be delivered in clear", reason, StringComparison.Ordinal);
        Assert.Contains("leave clearkey out of drm.systems", reason, StringComparison.Ordinal);
        Assert.Null((VendorForOperators with { ClearDelivery = true }).RefusalFor("vendor-1", "premium", JobOrigin.Submit, needsClearDelivery: true));
    }

    [Fact]
    public void Usage_is_checked_before_clear_delivery_so_the_reason_names_what_to_fix_first()
    {
        var reason = VendorForOperators.RefusalFor("vendor-1", "other", JobOrigin.DropFolder, needsClearDelivery: true);
        Assert.Contains("may not be used by profile 'other'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_sets_without_a_policy_stay_usable_but_are_never_delivered_in_clear()
    {
        var unset = KeySetPolicy.Unset;
        Assert.True(unset.IsUnset);
        Assert.Null(unset.RefusalFor("old", "any", JobOrigin.DropFolder, needsClearDelivery: false));
        Assert.NotNull(unset.RefusalFor("old", "any", JobOrigin.DropFolder, needsClearDelivery: true));
        Assert.Contains("imported before key set policies", unset.ClearDeliveryRefusal("old"), StringComparison.Ordinal);
        Assert.Contains("keys policy old --allow-clear-delivery", unset.ClearDeliveryRefusal("old"), StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_delivery_is_refused_by_default_and_allowed_only_when_set()
    {
        Assert.Equal("key set 'vendor-1' may not be delivered in clear: its licenses come from the DRM vendor", new KeySetPolicy().ClearDeliveryRefusal("vendor-1"));
        Assert.Null(new KeySetPolicy { ClearDelivery = true }.ClearDeliveryRefusal("vendor-1"));
    }

    [Fact]
    public void Describe_shows_the_policy_on_one_line()
    {
        Assert.Equal("profiles: premium; submitters: submit; clear delivery: never", VendorForOperators.Describe());
        Assert.Equal("profiles: any; submitters: drop, s3; clear delivery: allowed",
            new KeySetPolicy { Submitters = [JobOrigin.DropFolder, JobOrigin.S3Prefix], ClearDelivery = true }.Describe());
        Assert.Equal("profiles: any; submitters: any; clear delivery: never (no policy set: imported before policies)", KeySetPolicy.Unset.Describe());
    }

    [Theory]
    [InlineData("drop", JobOrigin.DropFolder)]
    [InlineData("S3", JobOrigin.S3Prefix)]
    [InlineData(" submit ", JobOrigin.Submit)]
    public void Submitter_names_round_trip(string name, JobOrigin origin)
    {
        Assert.True(KeySetPolicy.TryParseSubmitter(name, out var parsed));
        Assert.Equal(origin, parsed);
        Assert.Equal(name.Trim().ToLowerInvariant(), KeySetPolicy.SubmitterName(origin));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dropfolder")]
    [InlineData("DropFolder")]
    [InlineData("*")]
    public void Unknown_submitter_names_are_not_taken(string name)
    {
        Assert.False(KeySetPolicy.TryParseSubmitter(name, out _));
    }

    [Fact]
    public void Every_job_origin_has_a_submitter_name()
    {
        Assert.All(Enum.GetValues<JobOrigin>(), o => Assert.Contains(KeySetPolicy.SubmitterName(o), KeySetPolicy.SubmitterNames));
    }
}
