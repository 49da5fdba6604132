package org.wwi.sample;

import java.time.LocalDate;

/**
 * A row of the products dataset.
 *
 * @param priceCents        Price DECIMAL(10,2), unscaled
 * @param discountPermille  DiscountRate DECIMAL(4,3), unscaled (150 is 0.150)
 * @param costPriceUnscaled CostPrice DECIMAL(20,4), unscaled
 */
record Product(int id, String name, String category, long priceCents, int discountPermille,
        long costPriceUnscaled, boolean active, LocalDate introduced) {
}
