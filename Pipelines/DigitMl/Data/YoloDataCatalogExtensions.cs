using Microsoft.ML;

namespace DigitMl.Data;

/// <summary><c>mlContext.Data.LoadFromYoloDataset(...)</c>: a split of a YOLO dataset as an IDataView.</summary>
public static class YoloDataCatalogExtensions
{
    /// <summary>
    /// Reads (and validates) the dataset and returns the split with columns ImagePath, Labels, Boxes, Width, Height,
    /// Rotation (<see cref="YoloDataRow"/>). Only this split is read at load time.
    /// </summary>
    public static IDataView LoadFromYoloDataset(this DataOperationsCatalog catalog, string dataYamlPath, string split, YoloDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new YoloDatasetOptions();
        var dataset = YoloDataset.Load(dataYamlPath, new YoloDatasetOptions
        {
            SkipInvalid = options.SkipInvalid,
            ReportPath = options.ReportPath,
            CoordinateTolerance = options.CoordinateTolerance,
            MaxProblemsInMessage = options.MaxProblemsInMessage,
            VerifyPixels = options.VerifyPixels,
            MaxParallelism = options.MaxParallelism,
            Splits = [split],
        });
        return YoloDataRow.ToDataView(catalog, dataset.Split(split), dataset.Names);
    }
}
