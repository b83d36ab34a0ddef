using System.CommandLine;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Cli.Commands;

public static class SubmitCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Source media file" };
        var profile = new Option<string?>("--profile") { Description = "Ladder profile (default Farm:DefaultProfile, h264-cmaf)" };
        var priority = new Option<int>("--priority") { Description = "Higher runs first (-100..100)" };
        var title = new Option<string?>("--title") { Description = "Title to keep with the job" };
        var force = new Option<bool>("--force") { Description = "New job even if this content was submitted with this profile before" };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends; exit 1 if it fails" };
        var requireToken = new Option<bool>("--require-token") { Description = "Edges serve this asset only with a playback token (transcodefarm token)" };
        var drm = new Option<string?>("--drm") { Description = "Protection: cbcs, cenc, aes-128 or none (default: the profile's)" };
        var drmSystems = new Option<string?>("--drm-systems") { Description = "Comma-separated DRM systems to signal: clearkey, widevine, playready, fairplay (default clearkey)" };
        var keySet = new Option<string?>("--key-set") { Description = "Use keys imported from CPIX (`keys import`) under this content id" };
        var clearLead = new Option<double>("--clear-lead") { Description = "Seconds at the start left unencrypted" };
        var cmd = new Command("submit", "Queue a file for transcoding (the farm's `run` or `worker` picks it up)");
        cmd.Arguments.Add(file);
        cmd.Options.Add(profile);
        cmd.Options.Add(priority);
        cmd.Options.Add(title);
        cmd.Options.Add(force);
        cmd.Options.Add(wait);
        cmd.Options.Add(drm);
        cmd.Options.Add(requireToken);
        cmd.Options.Add(drmSystems);
        cmd.Options.Add(keySet);
        cmd.Options.Add(clearLead);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var source = parse.GetValue(file)!;
            if (!source.Exists || source.LinkTarget is not null)
            {
                throw new CliException($"'{source.FullName}' is not a regular file");
            }

            var profileName = parse.GetValue(profile) ?? farm.Farm.DefaultProfile;
            if (farm.Profiles.Find(profileName) is null)
            {
                throw new CliException($"--profile: unknown profile '{profileName}' (available: {farm.Profiles.Names})");
            }

            if (parse.GetValue(priority) is < -100 or > 100)
            {
                throw new CliException("--priority must be between -100 and 100");
            }

            Core.Drm.DrmSettings? drmSettings = null;
            if (parse.GetValue(drm) is { } scheme)
            {
                drmSettings = new Core.Drm.DrmSettings
                {
                    Scheme = scheme,
                    Systems = parse.GetValue(drmSystems)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["clearkey"],
                    KeySet = parse.GetValue(keySet),
                    ClearLeadSeconds = parse.GetValue(clearLead),
                };
                if (drmSettings.Validate() is { } problem)
                {
                    throw new CliException("--" + problem);
                }
            }
            else if (parse.GetValue(drmSystems) is not null || parse.GetValue(keySet) is not null)
            {
                throw new CliException("--drm-systems and --key-set need --drm (cbcs, cenc or aes-128)");
            }

            var options = new SourceOptions(profileName, parse.GetValue(priority), parse.GetValue(title), parse.GetValue(force), drmSettings, parse.GetValue(requireToken));
            var sources = farm.Get<SubmittedSources>();
            var result = sources.InStore
                ? await SubmitToStoreAsync(farm, sources, source, options, ct)
                : await SubmitCopyAsync(farm, source, options, ct);
            Console.WriteLine(result.Created
                ? $"submitted job {result.Job.Id}"
                : $"already submitted as job {result.Job.Id} ({result.Job.State.ToWire()}); use --force for a new job");

            if (!parse.GetValue(wait))
            {
                return 0;
            }

            var final = await JobView.FollowAsync(farm.Queue, result.Job.Id, ct);
            if (final is null)
            {
                return 1;
            }

            JobView.PrintOutcome(final, farm.EdgeUrl);
            return final.State == JobState.Succeeded ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>
    /// With an S3 store: the user's file goes straight to the store's sources/ (no local copy), so a worker on any machine
    /// runs the job with only its store settings. The key is the content's SHA-256: a re-run after an interruption, or the
    /// same file for another profile, does not send the bytes again (decision 018).
    /// </summary>
    private static async Task<SubmitResult> SubmitToStoreAsync(FarmServices farm, SubmittedSources sources, FileInfo file, SourceOptions options, CancellationToken ct)
    {
        var hash = await SourceImporter.HashAsync(file.FullName, ct);
        var request = farm.Get<SourceImporter>().Request(
            SubmittedSource.SourcePathFor(SubmittedSource.KeyFor(hash)), file.Name, JobOrigin.Submit, options, farm.Worker.MaxAttempts, hash);
        if (!options.Force && await farm.Queue.FindByIdempotencyKeyAsync(request.IdempotencyKey, ct) is { } earlier)
        {
            return new SubmitResult(earlier, Created: false); // nothing to upload
        }

        var upload = await sources.UploadAsync(file.FullName, hash, ct);
        Console.WriteLine(upload.Uploaded
            ? $"uploaded {file.Name} ({upload.Bytes} bytes) to {sources.Describe}{upload.Key}"
            : $"{upload.Key} is already in the store: not uploaded again");
        var result = await farm.Queue.SubmitAsync(request, ct);
        if (result.Created)
        {
            // A job of the same content that ended just now may have deleted the object after the upload above; this job
            // holds it now, so it stays from here on: check it is there (one HEAD), or send it again.
            await sources.UploadAsync(file.FullName, hash, ct);
        }
        else if (result.Job.SourcePath != request.SourcePath || SubmittedSource.IsReleasedIn(result.Job.State))
        {
            // Another submit of this content won the race to the job: the object is ours to remove unless a job needs it.
            await sources.ForgetAsync(request.SourcePath, result.Job.Id, ct);
        }

        return result;
    }

    /// <summary>With the filesystem store (one machine): the farm works on its own copy under a safe name, as the
    /// original may move, and no tool sees its name.</summary>
    private static async Task<SubmitResult> SubmitCopyAsync(FarmServices farm, FileInfo file, SourceOptions options, CancellationToken ct)
    {
        var folder = Path.Combine(farm.Paths.Sources, Queue.JobIds.New());
        Directory.CreateDirectory(folder);
        var owned = Path.Combine(folder, DropFolderLayout.SafeSourceName(file.Name));
        File.Copy(file.FullName, owned);
        var result = await farm.Get<SourceImporter>().SubmitAsync(owned, file.Name, JobOrigin.Submit, options, farm.Worker.MaxAttempts, ct);
        if (!result.Created)
        {
            Directory.Delete(folder, recursive: true);
        }

        return result;
    }
}
