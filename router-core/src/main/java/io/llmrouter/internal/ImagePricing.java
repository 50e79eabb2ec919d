package io.llmrouter.internal;

import io.llmrouter.Deployment;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.cost.PriceTable;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Prices generated images as LiteLLM does: the price table has entries per quality and size
 * ({@code standard/1024-x-1024/dall-e-3}, {@code azure/hd/1024-x-1792/dall-e-3},
 * {@code 256-x-256/dall-e-2}), each with a per-pixel or per-image price.
 */
final class ImagePricing {

    /** The size priced when the request sets none (OpenAI's default): {@value}. */
    static final String DEFAULT_SIZE = "1024x1024";

    private ImagePricing() {
    }

    /**
     * The entry for the request's quality and size on {@code deployment}: {@code route-prefix/
     * quality/W-x-H/model}, then without the quality; null when the deployment sets its own price
     * or the table has neither.
     */
    static PriceMatch entry(PriceTable table, Deployment deployment, ImageRequest request) {
        if (deployment.price().isPresent()) {
            return null;
        }
        String route = deployment.baseModel().orElse(deployment.providerRoute());
        int slash = route.indexOf('/');
        String prefix = slash > 0 ? route.substring(0, slash + 1) : "";
        String model = route.substring(prefix.length());
        String size = request.size().orElse(DEFAULT_SIZE).replace("x", "-x-");
        if (request.quality().isPresent()) {
            Optional<PriceMatch> m = table.lookup(prefix + request.quality().get() + "/" + size + "/" + model);
            if (m.isPresent()) {
                return m.get();
            }
        }
        Optional<PriceMatch> m = table.lookup(prefix + size + "/" + model);
        if (m.isPresent()) {
            return m.get();
        }
        // dall-e-3's entries all name a quality: its default is standard
        return request.quality().isPresent() ? null
                : table.lookup(prefix + "standard/" + size + "/" + model).orElse(null);
    }

    /** Each image at the per-pixel or per-image price; by token usage when the entry has neither. */
    static Cost cost(ModelPrice price, ImageRequest request, ImageResponse response, String route, String pricedBy) {
        BigDecimal images = BigDecimal.valueOf(response.data().size());
        if (price.perPixel().isPresent()) {
            String[] wh = request.size().orElse(DEFAULT_SIZE).split("x");
            BigDecimal pixels = BigDecimal.valueOf(Long.parseLong(wh[0]) * Long.parseLong(wh[1]));
            return Cost.builder().outputUsd(price.perPixel().get().multiply(pixels).multiply(images))
                    .pricedBy(pricedBy).build();
        }
        if (price.perImage().isPresent()) {
            return Cost.builder().outputUsd(price.perImage().get().multiply(images)).pricedBy(pricedBy).build();
        }
        return Operation.byUsage(price, response, route, pricedBy);
    }
}
