using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class AtomicFileTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iinr-atomic-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void ReplacesTheTargetWithTheWholeContent()
    {
        string path = Path.Combine(_directory, "a.bin");
        File.WriteAllText(path, "old content that is longer than the new one");
        AtomicFile.WriteAllText(path, "new");
        Assert.AreEqual("new", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_directory));
    }

    [TestMethod]
    public void AWriterThatFailsLeavesTheTargetAndNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.zip");
        File.WriteAllText(path, "saved earlier");
        Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("writer failed half-way");
        }));
        Assert.AreEqual("saved earlier", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_directory));
    }

    [TestMethod]
    public void AMissingFolderOrADirectoryTargetIsNamed()
    {
        string missing = Path.Combine(_directory, "no-such-folder", "x.png");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(missing, "x"));
        StringAssert.Contains(e.Message, "no-such-folder");
        var d = Assert.ThrowsExactly<UnauthorizedAccessException>(() => AtomicFile.WriteAllText(_directory, "x"));
        StringAssert.Contains(d.Message, "directory");
    }
}
