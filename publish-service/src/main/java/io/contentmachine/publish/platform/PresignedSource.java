package io.contentmachine.publish.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** The video behind a presigned GET, opened at any offset with a Range request (skipping ahead if the server ignores it). */
public class PresignedSource implements MediaSource {

    private final PlatformHttp http;
    private final String url;

    public PresignedSource(PlatformHttp http, String url) {
        this.http = http;
        this.url = url;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public InputStream open(long offset) throws IOException {
        var request = PlatformHttp.request(url, PlatformHttp.TRANSFER_TIMEOUT).GET();
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = http.stream(request.build());
        int status = response.statusCode();
        if (status == 206) {
            return response.body();
        }
        if (status == 200) {
            InputStream body = response.body();
            body.skipNBytes(offset);
            return body;
        }
        response.body().close();
        throw new IOException("video source answered " + status + " for " + PlatformHttp.safe(response.uri()));
    }
}
