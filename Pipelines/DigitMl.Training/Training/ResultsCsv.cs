using System.Globalization;
using System.Text;

namespace DigitMl.Training;

/// <summary>results.csv: one row per epoch, the reference's column names (without its "(B)" suffixes) plus speed columns.</summary>
public static class ResultsCsv
{
    public static readonly string[] Columns =
    [
        "epoch", "train/box_loss", "train/cls_loss", "train/dfl_loss",
        "metrics/precision", "metrics/recall", "metrics/mAP50", "metrics/mAP50-95",
        "val/box_loss", "val/cls_loss", "val/dfl_loss", "lr/pg0", "lr/pg1", "lr/pg2", "images_per_s", "data_wait",
    ];

    /// <summary>Writes the whole history (temporary file, then rename).</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Columns));
        foreach (var m in history)
        {
            double[] values =
            [
                m.TrainBoxLoss, m.TrainClsLoss, m.TrainDflLoss, m.Precision, m.Recall, m.Map50, m.Map50To95,
                m.ValBoxLoss, m.ValClsLoss, m.ValDflLoss,
                m.LearningRates.ElementAtOrDefault(0), m.LearningRates.ElementAtOrDefault(1), m.LearningRates.ElementAtOrDefault(2),
                m.ImagesPerSecond, m.DataWaitFraction,
            ];
            text.Append(m.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var v in values) text.Append(',').Append(v.ToString("G6", CultureInfo.InvariantCulture));
            text.AppendLine();
        }
        var temp = path + ".tmp";
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, path, overwrite: true);
    }
}
