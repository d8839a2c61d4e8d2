using DigitMl.Data;

namespace DigitMl.Experiments.Commands;

/// <summary>
/// `--skip-invalid` of train, sweep and evaluate: the switch's help text, and the sentence that a dataset error
/// ends with, so a user with a few broken files among thousands learns that the way around exists.
/// </summary>
internal static class SkipInvalidHint
{
    public const string Description =
        "Leave out images whose file or labels have problems instead of stopping: each is warned about, listed in a report next to data.yaml (<name>.skipped.txt) and counted in the summary.";

    /// <summary>Runs <paramref name="work"/>; a dataset with problems fails with its problems and the hint.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (DatasetValidationException e)
        {
            throw new DatasetValidationException(
                e.Message + Environment.NewLine + "(rerun with --skip-invalid to leave these images out; a report lists every one)", e);
        }
    }
}
