package org.wwi.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** The {@code users} dataset: one row per user. */
final class UsersDataset extends SparkWriteSupport<User> {

    UsersDataset() {
        super(SparkSchema.of(
                new SparkColumn("UserId", SparkType.INTEGER),
                new SparkColumn("FirstName", SparkType.STRING),
                new SparkColumn("LastName", SparkType.STRING),
                new SparkColumn("Gender", SparkType.STRING),
                new SparkColumn("Age", SparkType.INTEGER),
                new SparkColumn("Region", SparkType.STRING),
                new SparkColumn("SignupDate", SparkType.DATE)));
    }

    static long write(SparkParquet parquet, Path folder, UUID job, UserDirectory users) throws IOException {
        return parquet.writeDataset(folder, job, new UsersDataset(), sink -> {
            for (int id = 1; id <= users.size(); id++) {
                sink.accept(users.user(id));
            }
        });
    }

    @Override
    void writeColumns(User user) {
        int32(0, user.id());
        string(1, Utf8Text.of(user.firstName()));
        string(2, Utf8Text.of(user.lastName()));
        string(3, Utf8Text.of(user.gender()));
        int32(4, user.age());
        string(5, Utf8Text.of(user.region()));
        int32(6, (int) user.signupDate().toEpochDay());
    }
}
