using System.Net;

namespace LayerBuilder.Testing;

/// <summary>The accept loop of the tests' small HTTP servers (the token server):
/// each request is answered on its own task, and the loop ends when the listener is stopped.</summary>
public static class HttpListenerLoop
{
    public static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> answer)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => answer(context));
        }
    }
}
