using System.Net;
using DigitMl.Experiments.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DigitMl.Tests.Serve;

/// <summary>The service built as `serve` builds it, on ASP.NET Core's in-memory test server or on a real loopback port.</summary>
internal sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, HttpClient client, Uri baseAddress)
    {
        App = app;
        Client = client;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    public ModelHost Model => App.ModelHost();

    /// <summary>On the in-memory test server; waits for the first model load unless <paramref name="waitForModel"/> is false.</summary>
    public static async Task<TestService> StartInMemoryAsync(ServeOptions options, Action<WebApplicationBuilder>? configure = null, bool waitForModel = true)
    {
        var app = DigitService.Build(options, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        if (waitForModel) await app.ModelHost().InitialLoad;
        var client = app.GetTestClient();
        return new TestService(app, client, client.BaseAddress!);
    }

    /// <summary>On Kestrel at a free port of 127.0.0.1 (real sockets), model loaded.</summary>
    public static async Task<TestService> StartOnLoopbackAsync(ServeOptions options)
    {
        var app = DigitService.Build(options, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await app.StartAndLoadAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var baseAddress = new Uri(address);
        Assert.That(IPAddress.IsLoopback(IPAddress.Parse(baseAddress.Host)), Is.True, address);
        return new TestService(app, new HttpClient { BaseAddress = baseAddress }, baseAddress);
    }

    public static ServeOptions Options(string modelPath) => new() { Model = ModelSource.FromPath(modelPath) };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
