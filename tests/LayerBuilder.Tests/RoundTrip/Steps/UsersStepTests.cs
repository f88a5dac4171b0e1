using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// <c>users:</c> (docs/recipe.md) appends to the account files the layers below have, keeping every line
/// and the files' mode and owner, makes them on scratch, adds a home folder and group memberships, leaves
/// an identical account alone, and refuses a name or id another account holds. Later steps and the config
/// know the new names.
/// </summary>
public sealed class UsersStepTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n";
    private const string Group = "root:x:0:\nwww-data:x:33:\nstaff:x:50:\n";
    private const string Shadow = "root:*:19000:0:99999:7:::\n";

    private static void WriteBase(TempDirectory temp) => new RootfsTar()
        .Folder("etc/", mode: 0x1ED, uid: 0, gid: 0, modified: RootfsTar.DefaultTime)
        .File("etc/passwd", Passwd, mode: 0x1A4)
        .File("etc/group", Group, mode: 0x1A4)
        .File("etc/shadow", Shadow, mode: 0x1A0, gid: 42)
        .Folder("home/", mode: 0x1ED, uid: 0, gid: 0, modified: RootfsTar.DefaultTime)
        .WriteTo(temp.Combine("rootfs.tar"));

    [Test]
    public async Task A_user_is_appended_to_the_lower_files_with_their_mode_and_owner_and_gets_a_group_and_a_home()
    {
        using var temp = new TempDirectory();
        WriteBase(temp);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/users
            base: { rootfs: rootfs.tar }
            config: { user: app }
            steps:
              - name: accounts
                users:
                  - { name: app, uid: "1654", groups: [staff] }
                  - { name: svc, uid: "2000", gid: "33", home: /srv/svc, shell: /usr/sbin/nologin }
              - name: owned by name
                files: [{ path: /srv/svc/data.txt, content: x, owner: "svc:staff" }]
            """);

        var layer = archive.Layer(1).ToDictionary(m => m.Name);
        var later = archive.Layer(2).ToDictionary(m => m.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(layer["etc/passwd"].Text, Is.EqualTo(Passwd + "app:x:1654:1654::/home/app:/bin/sh\nsvc:x:2000:33::/srv/svc:/usr/sbin/nologin\n"));
            Assert.That(layer["etc/group"].Text, Is.EqualTo("root:x:0:\nwww-data:x:33:\nstaff:x:50:app\napp:x:1654:\n"));
            Assert.That(layer["etc/shadow"].Text, Is.EqualTo(Shadow + "app:!:::::::\nsvc:!:::::::\n"));
            Assert.That((layer["etc/passwd"].Mode, layer["etc/passwd"].Uid), Is.EqualTo((0x1A4, 0)));
            Assert.That((layer["etc/shadow"].Mode, layer["etc/shadow"].Gid), Is.EqualTo((0x1A0, 42)), "shadow keeps its 0640 and group");
            Assert.That((layer["home/app/"].Mode, layer["home/app/"].Uid, layer["home/app/"].Gid), Is.EqualTo((0x1ED, 1654, 1654)));
            Assert.That((layer["srv/svc/"].Uid, layer["srv/svc/"].Gid), Is.EqualTo((2000, 33)));
            Assert.That((later["srv/svc/data.txt"].Uid, later["srv/svc/data.txt"].Gid), Is.EqualTo((2000, 50)));
            Assert.That(archive.ConfigDocument.GetProperty("config").GetProperty("User").GetString(), Is.EqualTo("app"));
        }
    }

    [Test]
    public async Task On_scratch_the_files_are_made_with_root_and_the_new_users()
    {
        using var temp = new TempDirectory();

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/users
            steps:
              - users: [{ name: app, uid: "1654" }]
            """);

        var layer = archive.Layer(0).ToDictionary(m => m.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(layer["etc/passwd"].Text, Is.EqualTo("root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/bin/sh\n"));
            Assert.That(layer["etc/group"].Text, Is.EqualTo("root:x:0:\napp:x:1654:\n"));
            Assert.That(layer.ContainsKey("etc/shadow"), Is.False, "no shadow file where the image had none");
            Assert.That(layer["etc/passwd"].Mode, Is.EqualTo(0x1A4));
        }
    }

    [Test]
    public async Task An_account_that_is_already_there_with_the_same_ids_is_left_alone()
    {
        using var temp = new TempDirectory();
        WriteBase(temp);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/users
            base: { rootfs: rootfs.tar }
            steps:
              - users: [{ name: www-data, uid: "33" }]
            """);

        Assert.That(archive.Layer(1), Is.Empty, "nothing to write: the base has www-data with uid and gid 33");
    }

    [TestCase("{ name: www-data, uid: \"34\" }", "user 'www-data' is already in the image's /etc/passwd as uid 33, gid 33")]
    [TestCase("{ name: web, uid: \"33\" }", "uid 33 is already user 'www-data' in the image's /etc/passwd")]
    [TestCase("{ name: staff, uid: \"3000\" }", "group 'staff' is already in the image's /etc/group with gid 50")]
    public async Task A_name_or_id_another_account_holds_is_an_error(string user, string message)
    {
        using var temp = new TempDirectory();
        WriteBase(temp);

        var errors = await RecipeBuild.FailAsync(temp, $$"""
            image: example/users
            base: { rootfs: rootfs.tar }
            steps:
              - users: [{{user}}]
            """, temp.Combine("out.tar"));

        Assert.That(errors.Select(e => (e.Code.Id, e.Position.Line)), Is.EqualTo(new[] { ("LB1066", 4) }), string.Join("\n", errors));
        Assert.That(errors[0].Message, Does.StartWith(message));
        Assert.That(File.Exists(temp.Combine("out.tar")), Is.False);
    }

    [Test]
    public async Task An_unknown_supplementary_group_is_LB2020_and_bad_values_are_LB1065_at_their_position()
    {
        using var temp = new TempDirectory();
        WriteBase(temp);

        var unknown = await RecipeBuild.FailAsync(temp, """
            image: example/users
            base: { rootfs: rootfs.tar }
            steps:
              - users: [{ name: app, uid: "1654", groups: [wheel] }]
            """, temp.Combine("out.tar"));
        var invalid = Assert.Throws<LayerBuildException>(() => Recipe.RecipeParser.Parse("""
            image: example/users
            steps:
              - users:
                  - { name: "-bad", uid: "x", home: relative }
            """, "layerbuild.yml", temp.Path))!.Diagnostics;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown.Single().Code.Id, Is.EqualTo("LB2020"));
            Assert.That(unknown.Single().Message, Does.Contain("group 'wheel' of user 'app' is not in the image's /etc/group"));
            Assert.That(invalid.Select(d => (d.Code.Id, d.Position.Line, d.Position.Column)), Is.EqualTo(new[]
            {
                ("LB1065", 4, 17), ("LB1065", 4, 30), ("LB1065", 4, 41),
            }), string.Join("\n", invalid));
        }
    }
}
