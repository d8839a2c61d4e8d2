using DigitMl.Data.Mnist;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class MnistDigitsTests
{
    [TestCase(1001, 800, 100, 101)]
    [TestCase(863, 690, 86, 87)]
    [TestCase(10, 8, 1, 1)]
    [TestCase(3, 2, 0, 1)]
    public void SplitRuleUsesFloorOfEightAndNineTenths(int n, int train, int val, int test)
    {
        var pools = Enumerable.Range(0, n).Select(i => MnistSplit.PoolOf(i, n)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pools.Count(p => p == "train"), Is.EqualTo(train));
            Assert.That(pools.Count(p => p == "val"), Is.EqualTo(val));
            Assert.That(pools.Count(p => p == "test"), Is.EqualTo(test));
            Assert.That(pools, Is.Ordered.Using<string>((a, b) => Rank(a).CompareTo(Rank(b))), "train, then val, then test by position");
        });
    }

    [Test]
    public void ShippedDigitsHaveTheDocumentedCountsAndDisjointPools()
    {
        var digits = TinyScenes.Mnist;
        var train = digits.Pool("train");
        var val = digits.Pool("val");
        var test = digits.Pool("test");
        Assert.Multiple(() =>
        {
            Assert.That(digits.Count, Is.EqualTo(10_000));
            Assert.That(digits.CountsPerClass(), Is.EqualTo(new[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 }));
            Assert.That(train.Concat(val).Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 10_000)));
            Assert.That((train.Count, val.Count, test.Count), Is.EqualTo((7996, 999, 1005)));
            // class 0 is stored first: positions 0..799 train, 800..899 val, 900..1000 test
            Assert.That(train.Where(i => digits.Label(i) == 0), Is.EqualTo(Enumerable.Range(0, 800)));
            Assert.That(val.Where(i => digits.Label(i) == 0), Is.EqualTo(Enumerable.Range(800, 100)));
        });
    }

    [Test]
    public void MissingFolderSaysWhatIsExpected()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => MnistDigits.Load("/nonexistent/mnist"));
        Assert.That(error!.Message, Does.Contain("/nonexistent/mnist").And.Contain(MnistDigits.ImagesFileName));
    }

    private static int Rank(string pool) => pool switch { "train" => 0, "val" => 1, _ => 2 };
}
