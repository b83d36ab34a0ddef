using System.Net.Sockets;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Opening what a producer left: only a regular file that is not a link, checked on the open handle, never blocking.</summary>
public sealed class UntrustedFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tf-untrusted-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_regular_file_opens_and_hashes_from_its_handle()
    {
        var path = Path.Combine(_folder, "a.mp4");
        await File.WriteAllTextAsync(path, "abc");
        using var opened = UntrustedFile.Open(path);
        Assert.Null(opened.Refusal);
        Assert.Equal(3, opened.Length);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await SourceImporter.HashAsync(opened.Handle!, default));
        Assert.Equal(FileKind.Regular, UntrustedFile.KindOf(path));
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_by_name_and_by_handle()
    {
        var path = Path.Combine(_folder, "b.mp4");
        Assert.Equal(0, (await Tools.RunAsync("mkfifo", [path])).ExitCode);
        Assert.Equal(FileKind.Fifo, UntrustedFile.KindOf(path));
        // No writer: a blocking open would never return.
        using var opened = await Task.Run(() => UntrustedFile.Open(path)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("not a regular file: a FIFO", opened.Refusal);
        var (text, refusal) = await UntrustedFile.ReadSmallTextAsync(path, 1024, default).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(text);
        Assert.Equal("not a regular file: a FIFO", refusal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    [InlineData("/etc/hostname")]
    public void A_link_is_never_followed_whatever_it_points_at(string target)
    {
        var path = Path.Combine(_folder, "link.mp4");
        File.CreateSymbolicLink(path, target);
        Assert.Equal(FileKind.SymbolicLink, UntrustedFile.KindOf(path));
        Assert.Equal("not a regular file: a symbolic link", UntrustedFile.Open(path).Refusal);
    }

    [Fact]
    public void Devices_directories_and_sockets_are_refused_by_kind()
    {
        Assert.Equal("not a regular file: a character device", UntrustedFile.Open("/dev/zero").Refusal);
        Assert.Equal(FileKind.CharacterDevice, UntrustedFile.KindOf("/dev/null"));
        Assert.Equal("not a regular file: a directory", UntrustedFile.Open(_folder).Refusal);

        var socketPath = Path.Combine(_folder, "s.mp4");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        Assert.Equal(FileKind.Socket, UntrustedFile.KindOf(socketPath));
        Assert.Equal("not a regular file: a socket", UntrustedFile.Open(socketPath).Refusal);
        Assert.Equal(FileKind.Missing, UntrustedFile.KindOf(Path.Combine(_folder, "none")));
    }

    [Fact]
    public async Task Small_text_is_read_up_to_its_limit_and_no_further()
    {
        var path = Path.Combine(_folder, "clip.mp4.json");
        await File.WriteAllTextAsync(path, new string(' ', 64 * 1024));
        Assert.Equal(64 * 1024, (await UntrustedFile.ReadSmallTextAsync(path, 64 * 1024, default)).Text!.Length);
        await File.WriteAllTextAsync(path, new string(' ', 64 * 1024 + 1));
        Assert.Equal("larger than 64 KiB", (await UntrustedFile.ReadSmallTextAsync(path, 64 * 1024, default)).Refusal);
    }

    [Theory]
    [InlineData("subs.srt", true)]
    [InlineData("a b é.vtt", true)]
    [InlineData("../x.srt", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("", false)]
    public void A_file_a_sidecar_names_is_a_bare_name(string name, bool bare) => Assert.Equal(bare, Sidecar.IsBareName(name));

    [Theory]
    [InlineData("""{ "profil": "test-tiny" }""", "unknown field 'profil'")]
    [InlineData("""{ "drm": { "scheme": "cbcs", "keySetz": "x" } }""", "unknown field 'drm.keySetz'")]
    [InlineData("""{ "audio": [ { "track": 1, "lang": "fr" } ] }""", "unknown field 'audio[0].lang'")]
    [InlineData("""{ "audio": [ { "track": 1, "language": "French" } ] }""", "sidecar audio[0].language 'French' is not a BCP 47 or ISO 639 language tag")]
    [InlineData("""{ "audio": [ { "track": 0 } ] }""", "sidecar audio[0].track must be the 1-based number")]
    [InlineData("""{ "defaultAudioLanguage": "xx-yy-zz-ww" }""", "sidecar defaultAudioLanguage 'xx-yy-zz-ww' is not")]
    public void A_sidecar_with_an_unknown_field_is_refused_by_name(string json, string reason) =>
        Assert.Contains(reason, Sidecar.Parse(json).Error, StringComparison.Ordinal);

    [Fact]
    public void A_sidecar_labels_audio_tracks()
    {
        var (sidecar, error) = Sidecar.Parse("""{ "audio": [ { "track": 2, "language": "fr", "name": "Français", "default": true, "description": false } ] }""");
        Assert.Null(error);
        Assert.Equal(new Core.Planning.AudioTrackOverride(2, "fr", "Français", true, false), Assert.Single(sidecar!.Audio!));
    }
}
