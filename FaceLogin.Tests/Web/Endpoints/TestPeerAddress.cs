using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// The test server has no socket, so no peer address. A request carrying <see cref="Header"/> gets that address as its
/// connection's remote address, set before anything of the app runs: what a real TCP peer (a client, or a proxy) would be.
/// </summary>
internal sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer) && IPAddress.TryParse(peer, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
