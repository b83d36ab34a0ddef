using System.CommandLine;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`store init`: make the configured store ready for a farm and prove it, step by step.</summary>
public static class StoreCommands
{
    public static Command Create()
    {
        var cmd = new Command("store", "The object store the farm publishes to (Store:* settings or --store)");
        cmd.Subcommands.Add(Init());
        return cmd;
    }

    private static Command Init()
    {
        var cmd = new Command("init",
            "Create the store's bucket if it is missing, then put a small probe object under _farm/init/, read it back, compare and delete it. " +
            "Prints each step; exit code 0 when the store is ready, 1 when a step failed (with the store's reason)");
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = FarmServices.Create(parse);
            var store = farm.Get<IObjectStore>();
            Console.WriteLine($"store {store.Describe}");
            var key = ObjectKeys.Reserved("init", $"{Environment.MachineName}-{Queue.JobIds.New()}");
            var steps = await StoreReadiness.CheckAsync(store, key, createBucket: true, step => Console.WriteLine($"  {Label(step.Name, store),-22} {(step.Ok ? "ok" : "FAILED")}: {step.Detail}"), ct);
            if (StoreReadiness.Failure(steps) is { } failed)
            {
                Console.Error.WriteLine($"error: the store is not ready: {failed.Name} failed: {failed.Detail}");
                return 1;
            }

            Console.WriteLine($"ready: workers can publish to {store.Describe}");
            return 0;
        });
        return cmd;
    }

    private static string Label(string step, IObjectStore store) => step switch
    {
        "bucket" => store is ResilientObjectStore { Inner: S3ObjectStore s3 } ? $"bucket {s3.Bucket}" : "folder",
        "write" => "write probe",
        "read" => "read it back",
        "delete" => "delete it",
        _ => step,
    };
}
