package io.contentmachine.sandbox.youtube;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/** channels.list: who the token's user is (mine=true), or channels by id. Parts other than snippet and contentDetails stay out. */
@Path("/youtube/v3/channels")
public class YouTubeChannelsResource {

    private static final List<String> FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.QUOTA_EXCEEDED,
            FaultKind.TOKEN_EXPIRED);
    private static final Set<String> PARTS = Set.of("auditDetails", "brandingSettings", "contentDetails", "contentOwnerDetails", "id",
            "localizations", "snippet", "statistics", "status", "topicDetails");

    @Inject
    YouTubeChannels channels;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;

    @GET
    public Response list(@HeaderParam("Authorization") String authorization, @QueryParam("part") List<String> partParams,
                         @QueryParam("mine") String mine, @QueryParam("id") List<String> idParams) {
        Optional<Fault> fault = faults.take("youtube", "channels", FAULTS);
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        String token = Tokens.bearer(authorization);
        if (!tokens.validAccess(token)) {
            return GoogleErrors.unauthorized().toResponse();
        }
        List<String> parts = split(partParams);
        if (parts.isEmpty()) {
            return GoogleErrors.error(400, "global", "required", "Required parameter: part").toResponse();
        }
        Optional<String> unknown = parts.stream().filter(p -> !PARTS.contains(p)).findFirst();
        if (unknown.isPresent()) {
            return GoogleErrors.error(400, "youtube.part", "unknownPart", "'" + unknown.get() + "'").toResponse();
        }
        boolean mineFilter = "true".equalsIgnoreCase(mine);
        List<String> ids = split(idParams);
        if (mineFilter && !ids.isEmpty()) {
            return GoogleErrors.error(400, "youtube.parameter", "incompatibleParameters",
                    "Incompatible parameters specified in the request: id, mine").toResponse();
        }
        if (!mineFilter && ids.isEmpty()) {
            return GoogleErrors.error(400, "youtube.parameter", "missingRequiredParameter",
                    "No filter selected. Expected one of: forUsername, forHandle, managedByMe, mine, id").toResponse();
        }
        List<YouTubeChannels.Channel> found = mineFilter ? List.of(channels.of(token)) : channels.withIds(ids);
        List<ObjectNode> items = found.stream().map(c -> channels.resource(c, parts)).toList();
        return Reply.json(200, Map.of("kind", "youtube#channelListResponse", "items", items,
                "pageInfo", Map.of("totalResults", items.size(), "resultsPerPage", items.size()))).toResponse();
    }

    private static List<String> split(List<String> params) {
        List<String> values = new ArrayList<>();
        if (params != null) {
            params.forEach(p -> Arrays.stream(p.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add));
        }
        return values;
    }
}
