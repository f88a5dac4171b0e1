namespace LayerBuilder.Tool;

/// <summary>
/// The recipes <c>dotnet layerbuild init</c> writes: for a .NET project, a commented <c>layerbuild.yml</c>
/// that <c>dotnet publish</c> lays over the image the project's properties make (docs/msbuild.md); outside
/// a project, a complete recipe that builds with the CLI and runs on any linux/amd64 engine as written.
/// </summary>
internal static class StarterRecipes
{
    /// <summary>The starter for the project <paramref name="projectName"/> (the project file's name without extension).</summary>
    public static string ForProject(string projectName) => $$"""
        # layerbuild.yml for {{projectName}}: with the LayerBuilder.MSBuild package referenced, `dotnet publish`
        # builds a container image from the project's properties (base, name, tags, user, entrypoint; see
        # docs/msbuild.md) and lays this file over it. This file has no 'image:', so it adds to that image;
        # with 'image:' it would be the whole recipe instead.
        #
        #   <PackageReference Include="LayerBuilder.MSBuild" Version="0.1.0" PrivateAssets="all" />
        #
        # Build:  dotnet publish -c Release -r linux-x64
        # Run:    docker load -i bin/Release/<framework>/linux-x64/{{projectName}}.tar
        #         docker run --rm {{projectName.ToLowerInvariant()}}:latest

        config:
          labels:
            org.opencontainers.image.description: "{{projectName}}, built with LayerBuilder"
          # env: { DOTNET_gcServer: "0" }
          # ports: ["8080"]

        # Extra layers, after the runtime, packages and app layers:
        # steps:
        #   - name: settings
        #     copy: [{ src: appsettings.Production.json, dest: /app/ }]
        #   - name: accounts
        #     users: [{ name: worker, uid: "2000" }]

        """;

    /// <summary>Outside a project: a runnable image from nothing, the 400-byte static program of
    /// examples/hello (its source is examples/hello/hello.S) on a scratch base.</summary>
    public const string Plain = """
        # layerbuild.yml: a container image built without a container engine (docs/recipe.md).
        # Build:  dotnet layerbuild layerbuild.yml -o image.tar
        # Run:    docker load -i image.tar && docker run --rm example/app:latest
        image: example/app
        tags: [latest]
        platform: linux/amd64
        # base: { rootfs: debian-rootfs.tar }     # or { image: base.tar } from docker save; default: scratch
        config:
          entrypoint: ["/app/hello"]
          # env: { GREETING: hello }
        steps:
          # Each step is one layer.
          - name: app
            # copy: [{ src: bin/publish/, dest: /app/ }]   # files from this machine
            files:
              - path: /app/hello
                mode: "0755"
                # A static program that prints a greeting (examples/hello/hello.S).
                base64: |
                  f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAAeABAAAAAAABAAAAAAAAAANAAAAAAAAAAAAAAAEAAOAAB
                  AEAAAwACAAEAAAAFAAAAeAAAAAAAAAB4AEAAAAAAAHgAQAAAAAAAQgAAAAAAAABCAAAAAAAAAAEA
                  AAAAAAAAuAEAAAC/AQAAAEiNNRAAAAC6IQAAAA8FuDwAAAAx/w8FSGVsbG8gZnJvbSBhIExheWVy
                  QnVpbGRlciBpbWFnZSEKAC5zaHN0cnRhYgAudGV4dAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                  AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALAAAAAQAAAAYAAAAA
                  AAAAeABAAAAAAAB4AAAAAAAAAEIAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAQAAAAMA
                  AAAAAAAAAAAAAAAAAAAAAAAAugAAAAAAAAARAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAA
                  AA==

        """;
}
