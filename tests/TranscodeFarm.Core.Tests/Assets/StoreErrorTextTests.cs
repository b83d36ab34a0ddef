using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Core.Tests.Assets;

public class StoreErrorTextTests
{
    [Theory]
    // Ceph RGW sends a code and a request id but no message: no empty "()" where the message would be.
    [InlineData("NoSuchBucket", "", "tx000a-0065-default", 404, "NoSuchBucket (HTTP 404, request tx000a-0065-default)")]
    [InlineData("SignatureDoesNotMatch", null, "tx01", 403, "SignatureDoesNotMatch (HTTP 403, request tx01)")]
    [InlineData("SignatureDoesNotMatch", "()", null, 403, "SignatureDoesNotMatch (HTTP 403)")]
    // AWS sends all three.
    [InlineData("NoSuchBucket", "The specified bucket does not exist", "4442587FB7D0A2F9", 404, "NoSuchBucket: The specified bucket does not exist (HTTP 404, request 4442587FB7D0A2F9)")]
    // A HEAD has no body: no code, only the status.
    [InlineData(null, null, null, 403, "HTTP 403")]
    [InlineData("", " ", "", 0, "error")]
    // A message that repeats the code is said once; a message on several lines becomes one.
    [InlineData("AccessDenied", "AccessDenied", "r1", 403, "AccessDenied (HTTP 403, request r1)")]
    [InlineData("SlowDown", "Please reduce\nyour request rate.", null, 503, "SlowDown: Please reduce your request rate. (HTTP 503)")]
    public void Says_what_the_server_sent_and_nothing_empty(string? code, string? message, string? requestId, int status, string expected)
    {
        var text = StoreErrorText.Of(code, message, requestId, status);
        Assert.Equal(expected, text);
        Assert.DoesNotContain("()", text);
    }

    [Fact]
    public void Configuration_faults_come_with_what_to_do()
    {
        Assert.Contains("transcodefarm store init", StoreErrorText.Hint("NoSuchBucket", "media"));
        Assert.Contains("Store:CreateBucket=true", StoreErrorText.Hint("NoSuchBucket", "media"));
        Assert.Contains("'media'", StoreErrorText.Hint("NoSuchBucket", "media"));
        Assert.Contains("Store:SecretKey", StoreErrorText.Hint("SignatureDoesNotMatch", "media"));
        Assert.Contains("Store:AccessKey", StoreErrorText.Hint("InvalidAccessKeyId", "media"));
        Assert.Null(StoreErrorText.Hint("SlowDown", "media"));
        Assert.Null(StoreErrorText.Hint(null, "media"));
    }

    [Fact]
    public void Probe_keys_are_valid_reserved_keys_whatever_the_host_name()
    {
        foreach (var name in new[] { "worker-1", "Host Name.local-123-ab12", ".hidden", "", "ünïcode/slash" })
        {
            var key = ObjectKeys.Reserved("healthz", name);
            Assert.True(ObjectKeys.IsValid(key), key);
            Assert.True(ObjectKeys.IsReserved(key), key);
            Assert.StartsWith("_farm/healthz/", key, StringComparison.Ordinal);
        }

        Assert.False(ObjectKeys.IsReserved("0123456789ab/master.m3u8"));
        Assert.False(ObjectKeys.IsReserved("_farmer/x"));
        Assert.True(ObjectKeys.IsReserved("_farm/"));
    }
}
